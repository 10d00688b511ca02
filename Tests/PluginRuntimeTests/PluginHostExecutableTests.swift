import Foundation
import PluginRuntime
import Testing

/// The `agentcore-plugin-host` executable the server starts for each isolated plugin, and the
/// `agentcore plugin-host` subcommand that does the same inside the main binary.
@Suite("Plugin host executable")
struct PluginHostExecutableTests {
    @Test func theAgentcorePluginHostSubcommandServesAPluginToo() async throws {
        try await TestRuntime.with(fixtures: ["hello"], configure: { configuration in
            configuration.isolateDirectoryPlugins()
            configuration.pluginHost.command = [TestBinaries.agentcore, "plugin-host"]
        }) { (test: TestRuntime) async throws in
            test.enable(["hello"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "abcd")
            #expect(results.map(\.status) == [.ok])
            #expect(results.map(\.data) == [["hello": 4]])
        }
    }

    @Test func aCommandLineWithoutTheParentPidIsRefusedNamingIt() async throws {
        let run = try await Self.run(TestBinaries.pluginHost, ["/tmp/plugin.so"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("agentcore-plugin-host: --parent-pid is required\nusage: agentcore-plugin-host --parent-pid PID"))
    }

    @Test func aMalformedValueIsRefusedNamingItsOption() async throws {
        let run = try await Self.run(TestBinaries.pluginHost, ["--parent-pid", "1", "--connections", "many", "/tmp/plugin.so"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("agentcore-plugin-host: --connections: 'many' is not a valid Int\n"))
    }

    @Test func anUnknownOptionIsRefusedNamingIt() async throws {
        let run = try await Self.run(TestBinaries.pluginHost, ["--parent-pid", "1", "--verbose", "/tmp/plugin.so"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("agentcore-plugin-host: unexpected argument '--verbose'\n"))
    }

    /// Runs `executable` to its end without blocking a cooperative thread; its standard error
    /// goes to a file (a pipe's write end could be held open by a child another test spawns).
    private static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, standardError: String) {
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-host-\(UUID().uuidString).err").path
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try errors.close()
        return (status, try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}
