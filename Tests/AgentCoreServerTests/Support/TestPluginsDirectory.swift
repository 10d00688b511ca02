import Foundation

/// A plugins directory of one test, which the server watches: fixtures are dropped in,
/// replaced and removed the way an operator would.
struct TestPluginsDirectory: Sendable {
    let url: URL

    /// A fresh empty directory; remove it with ``remove()``.
    static func make() throws -> TestPluginsDirectory {
        TestPluginsDirectory(url: try TestPaths.temporaryDirectory("agentcore-plugins"))
    }

    func remove() {
        TestPaths.remove(url)
    }

    func path(_ fileName: String) -> URL {
        url.appendingPathComponent(fileName)
    }

    /// Compiles `source` (cached) and places it as `fileName` (default `<source>.so`) with an
    /// atomic rename from a temporary name in the same directory that does not end in `.so`.
    @discardableResult
    func drop(_ source: String, as fileName: String? = nil, defines: [String] = []) async throws -> URL {
        let library = try await FixtureCompiler.shared.library(source, defines: defines)
        return try drop(bytes: try Data(contentsOf: library), as: fileName ?? "\(source).so")
    }

    /// Writes `bytes` to a temporary name in the directory, then renames it to `fileName`.
    @discardableResult
    func drop(bytes: Data, as fileName: String) throws -> URL {
        let target = path(fileName)
        let temporary = path(".\(fileName).\(UUID().uuidString.prefix(8)).partial")
        try bytes.write(to: temporary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary.path)
        guard rename(temporary.path, target.path) == 0 else {
            throw FixturePlugins.FixtureError(message: "rename to \(target.path) failed: errno \(errno)")
        }
        return target
    }

    /// Writes `source`'s library to `fileName` in place, in two halves `pause` apart, as a
    /// slow copy into the directory would.
    func writeInTwoHalves(_ source: String, as fileName: String, pause: Duration) async throws {
        let bytes = try Data(contentsOf: try await FixtureCompiler.shared.library(source))
        let target = path(fileName)
        guard FileManager.default.createFile(atPath: target.path, contents: nil, attributes: [.posixPermissions: 0o755]) else {
            throw FixturePlugins.FixtureError(message: "cannot create \(target.path)")
        }
        let handle = try FileHandle(forWritingTo: target)
        defer { try? handle.close() }
        try handle.write(contentsOf: bytes.prefix(bytes.count / 2))
        try await Task.sleep(for: pause)
        try handle.write(contentsOf: bytes.dropFirst(bytes.count / 2))
    }

    func delete(_ fileName: String) throws {
        try FileManager.default.removeItem(at: path(fileName))
    }
}
