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

    @Test func aCommandLineWithoutTheParentPidIsRefusedNamingIt() throws {
        let run = try Self.run(TestBinaries.pluginHost, ["/tmp/plugin.so"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("agentcore-plugin-host: --parent-pid is required\nusage: agentcore-plugin-host --parent-pid PID"))
    }

    @Test func aMalformedValueIsRefusedNamingItsOption() throws {
        let run = try Self.run(TestBinaries.pluginHost, ["--parent-pid", "1", "--connections", "many", "/tmp/plugin.so"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("agentcore-plugin-host: --connections: 'many' is not a valid Int\n"))
    }

    @Test func anUnknownOptionIsRefusedNamingIt() throws {
        let run = try Self.run(TestBinaries.pluginHost, ["--parent-pid", "1", "--verbose", "/tmp/plugin.so"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("agentcore-plugin-host: unexpected argument '--verbose'\n"))
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, standardError: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
