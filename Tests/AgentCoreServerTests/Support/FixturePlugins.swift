import Crypto
import Foundation

/// Compiles the C fixture plugins once per test process into a private plugins directory.
actor FixturePlugins {
    static let shared = FixturePlugins()

    private var directory: URL?

    /// A directory holding `server_config_echo.so`, built with the system C compiler against the SDK header.
    ///
    /// The directory is named by a hash of the sources, so runs reuse it instead of leaving one behind each.
    func pluginsDirectory() throws -> URL {
        if let directory { return directory }
        let source = TestPaths.fixturePlugins.appendingPathComponent("server_config_echo.c")
        var hasher = SHA256()
        hasher.update(data: try Data(contentsOf: source))
        hasher.update(data: try Data(contentsOf: TestPaths.sdkInclude.appendingPathComponent("agentcore_plugin.h")))
        let digest = hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("agentcore-server-fixtures-\(digest)")
        if !FileManager.default.fileExists(atPath: output.appendingPathComponent("server_config_echo.so").path) {
            // Built beside, then renamed: a concurrent run never sees a half-written directory.
            let staging = try TestPaths.temporaryDirectory("agentcore-server-fixtures-staging")
            try Self.compile("server_config_echo", into: staging)
            if (try? FileManager.default.moveItem(at: staging, to: output)) == nil {
                TestPaths.remove(staging)
            }
        }
        directory = output
        return output
    }

    private static func compile(_ name: String, into directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-O1",
            "-I", TestPaths.sdkInclude.path,
            "-o", directory.appendingPathComponent("\(name).so").path,
            TestPaths.fixturePlugins.appendingPathComponent("\(name).c").path,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw FixtureError(message: "cc failed for \(name).c: \(message)")
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
