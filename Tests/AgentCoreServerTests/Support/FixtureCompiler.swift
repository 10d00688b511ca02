import Crypto
import Foundation

/// Compiles any C fixture plugin of `Tests/Fixtures/plugins`, with `-D` defines, into a cache
/// shared by the tests of this process and later runs.
///
/// Each build lands in a directory named by a hash of the source, the headers and the
/// defines, so a rebuild happens only when one of them changes; it is written beside and
/// renamed into place, so a concurrent test never sees a half-written file.
actor FixtureCompiler {
    static let shared = FixtureCompiler()

    private var built: [String: URL] = [:]

    /// The compiled `.so` of `Tests/Fixtures/plugins/<source>.c`.
    /// - Parameter defines: passed as `-D<define>`, e.g. `PLUGIN_VERSION="2.0.0"` or `BROKEN`.
    /// - Throws: `FixturePlugins.FixtureError` with the compiler's output when cc fails.
    func library(_ source: String, defines: [String] = []) throws -> URL {
        let key = ([source] + defines).joined(separator: "\u{0}")
        if let url = built[key] { return url }
        let sourceFile = TestPaths.fixturePlugins.appendingPathComponent("\(source).c")
        var hasher = SHA256()
        hasher.update(data: Data(key.utf8))
        for file in [sourceFile, TestPaths.fixturePlugins.appendingPathComponent("fixture.h"), TestPaths.sdkInclude.appendingPathComponent("agentcore_plugin.h")] {
            hasher.update(data: try Data(contentsOf: file))
        }
        let digest = hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("agentcore-fixture-\(source)-\(digest).so")
        if !FileManager.default.fileExists(atPath: output.path) {
            let staging = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(UUID().uuidString.prefix(8))")
            try Self.compile(sourceFile, defines: defines, to: staging)
            if rename(staging.path, output.path) != 0 { try? FileManager.default.removeItem(at: staging) }
        }
        built[key] = output
        return output
    }

    private static func compile(_ source: URL, defines: [String], to output: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-O1", "-I", TestPaths.sdkInclude.path]
            + defines.map { "-D\($0)" }
            + ["-o", output.path, source.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixturePlugins.FixtureError(message: "cc failed for \(source.lastPathComponent) \(defines): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
