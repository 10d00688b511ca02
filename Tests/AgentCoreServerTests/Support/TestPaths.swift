import Foundation

/// Where the suite finds the built binaries and the repository's files.
enum TestPaths {
    /// The repository root, from this file's path (Tests/AgentCoreServerTests/Support/).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build products directory: the test binary lives there, next to `agentcore` and the built-in .so files.
    static let buildProducts: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // On some platforms the test binary sits inside a bundle (…/X.xctest/Contents/MacOS).
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("agentcore").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    static var agentcoreBinary: URL { buildProducts.appendingPathComponent("agentcore") }

    static var sdkInclude: URL { repositoryRoot.appendingPathComponent("PluginSDK/include") }

    static var fixturePlugins: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures/plugins") }

    /// Removes a directory made by ``temporaryDirectory(_:)``.
    static func remove(_ directory: URL) {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A fresh empty directory under the system temporary directory; remove it with ``remove(_:)``.
    static func temporaryDirectory(_ prefix: String = "agentcore-server-tests") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
