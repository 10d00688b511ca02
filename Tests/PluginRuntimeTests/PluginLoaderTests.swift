import AgentCoreJSON
import Foundation
import PluginRuntime
import Testing

@Suite("Plugin loader")
struct PluginLoaderTests {
    @Test func wellFormedPluginIsLoadedWithItsDescriptor() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"]) { (test: TestRuntime) async throws in
            let info = try #require(test.runtime.plugin(id: "echo-config"))
            #expect(info.name == "Echo config")
            #expect(info.version == "2.1.0-beta.1+build.5")
            #expect(info.category == "test")
            #expect(info.description == "echoes its config")
            #expect(info.capabilities == [.agentQuery, .approvalHook])
            #expect(info.configSchema["required"] == ["version"])
            #expect(info.tools.isEmpty)
            #expect(info.source == .directory)
            #expect(info.path == test.directory.file("echo_config.so"))
            #expect(info.abiVersion == "1.0")
            #expect(test.runtime.configSchema(pluginId: "echo-config")?.isValid(["version": 1]) == true)
            #expect(test.runtime.loadFailures.isEmpty)
        }
    }

    @Test func garbageFileIsSkippedAndTheOthersLoad() async throws {
        try await TestRuntime.with(fixtures: ["hello"]) { (test: TestRuntime) async throws in
            try test.directory.write(Array("this is not a shared object\n".utf8), as: "garbage.so")
            await test.runtime.loadPlugins()
            #expect(test.runtime.plugins.map(\.id) == ["hello"])
            #expect(test.runtime.loadFailures == [
                PluginLoadFailure(path: test.directory.file("garbage.so"), reason: "not an ELF file (no ELF magic number)"),
            ])
        }
    }

    @Test func missingEntrySymbolIsRefused() async throws {
        try await TestRuntime.with(fixtures: ["missing_entry", "hello"]) { (test: TestRuntime) async throws in
            #expect(test.runtime.plugins.map(\.id) == ["hello"])
            #expect(test.runtime.loadFailures == [
                PluginLoadFailure(path: test.directory.file("missing_entry.so"), reason: "missing entry symbol ac_plugin_entry"),
            ])
        }
    }

    @Test func newerABIMinorIsRefusedNamingBothVersions() async throws {
        try await TestRuntime.with(fixtures: ["abi_too_new", "hello"]) { (test: TestRuntime) async throws in
            #expect(test.runtime.plugins.map(\.id) == ["hello"])
            #expect(test.runtime.loadFailures == [
                PluginLoadFailure(path: test.directory.file("abi_too_new.so"), reason: "plugin ABI 1.7 is newer than host ABI 1.0"),
            ])
        }
    }

    @Test func duplicateIdIsRefusedNamingBothFiles() async throws {
        try await TestRuntime.with(fixtures: ["hello"], fileNames: ["hello": "a-hello.so"]) { (test: TestRuntime) async throws in
            try test.directory.add("hello", as: "b-hello.so")
            await test.runtime.loadPlugins()
            #expect(test.runtime.plugins.map(\.path) == [test.directory.file("a-hello.so")])
            #expect(test.runtime.loadFailures == [
                PluginLoadFailure(
                    path: test.directory.file("b-hello.so"),
                    reason: "duplicate plugin id hello: already loaded from \(test.directory.file("a-hello.so"))"
                ),
            ])
        }
    }

    @Test func invalidConfigSchemaIsRefused() async throws {
        try await TestRuntime.with(fixtures: ["bad_schema", "hello"]) { (test: TestRuntime) async throws in
            #expect(test.runtime.plugins.map(\.id) == ["hello"])
            let failure = try #require(test.runtime.loadFailures.first)
            #expect(test.runtime.loadFailures.count == 1)
            #expect(failure.path == test.directory.file("bad_schema.so"))
            #expect(failure.reason.hasPrefix("config schema does not compile: "))
        }
    }

    @Test func capabilityDeclaredWithoutItsHookIsRefused() async throws {
        try await TestRuntime.with(fixtures: ["cap_without_hook"]) { (test: TestRuntime) async throws in
            #expect(test.runtime.plugins.isEmpty)
            #expect(test.runtime.loadFailures == [
                PluginLoadFailure(
                    path: test.directory.file("cap_without_hook.so"),
                    reason: "capability agent_query declared without on_agent_query"
                ),
            ])
        }
    }

    @Test func descriptorFromAnOlderMinorStillLoads() async throws {
        try await TestRuntime.with(fixtures: ["older_minor"]) { (test: TestRuntime) async throws in
            let info = try #require(test.runtime.plugin(id: "older-minor"))
            #expect(info.capabilities == [.agentQuery])
            #expect(info.tools.isEmpty)
            // NULL config_schema: only an empty object is accepted.
            #expect(test.runtime.configSchema(pluginId: "older-minor")?.isValid([:]) == true)
            #expect(test.runtime.configSchema(pluginId: "older-minor")?.isValid(["x": 1]) == false)
            test.enable(["older-minor"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.map(\.status) == [.ok])
            #expect(results.first?.data == ["older": true])
        }
    }

    @Test func sameFileReachedTwiceIsLoadedOnce() async throws {
        try await TestRuntime.with(fixtures: ["hello"]) { (test: TestRuntime) async throws in
            try FileManager.default.createSymbolicLink(atPath: test.directory.file("link-to-hello.so"), withDestinationPath: test.directory.file("hello.so"))
            await test.runtime.loadPlugins()
            #expect(test.runtime.plugins.map(\.id) == ["hello"])
            #expect(test.runtime.loadFailures.isEmpty)
        }
    }

    @Test func eachRefusedFileGetsOneLogLineNamingFileAndReason() async throws {
        try await TestRuntime.with(fixtures: ["missing_entry", "abi_too_new", "hello"]) { (test: TestRuntime) async throws in
            let errors = test.logs.all.filter { $0.level == .error }
            #expect(errors.count == 2)
            #expect(errors.map { $0.metadata["path"] } == [test.directory.file("abi_too_new.so"), test.directory.file("missing_entry.so")])
            #expect(errors.map(\.message) == [
                "plugin not loaded: plugin ABI 1.7 is newer than host ABI 1.0",
                "plugin not loaded: missing entry symbol ac_plugin_entry",
            ])
        }
    }

    @Test func builtinsAreFoundByPrefixInTheBuiltinDirectory() async throws {
        try await TestRuntime.with(fixtures: []) { (test: TestRuntime) async throws in
            try test.builtins.add("hello", as: "libagentcore-builtin-hello.so")
            try test.builtins.add("kv", as: "libother.so")
            await test.runtime.loadPlugins()
            #expect(test.runtime.plugins.map(\.id) == ["hello"])
            #expect(test.runtime.plugins.map(\.source) == [.builtin])
        }
    }

    @Test func missingPluginDirectoryIsNotAFailure() async throws {
        try await TestRuntime.with(fixtures: [], configure: { $0.pluginDirectories = ["/nonexistent/agentcore-plugins"] }) { (test: TestRuntime) async throws in
            #expect(test.runtime.plugins.isEmpty)
            #expect(test.runtime.loadFailures.isEmpty)
        }
    }

    @Test func checkPrintsTheDescriptorOfAGoodFile() throws {
        let info = try PluginRuntime.check(path: PluginFixtures.path("typed_tools"), logger: .init(label: "test"))
        #expect(info.id == "typed-tools")
        #expect(info.capabilities == [.tools])
        #expect(info.tools.map(\.name) == ["add", "calls", "echo", "half", "is_positive", "repeat"])
        #expect(info.json["tools"]?[0]?["name"] == "add")
    }

    @Test func checkThrowsTheReasonForABadFile() throws {
        let path = PluginFixtures.path("abi_too_new")
        #expect(throws: PluginLoadError(path: path, reason: "plugin ABI 1.7 is newer than host ABI 1.0")) {
            try PluginRuntime.check(path: path, logger: .init(label: "test"))
        }
    }
}
