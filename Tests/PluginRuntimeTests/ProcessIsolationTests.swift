import AgentCoreJSON
import Foundation
import PluginRuntime
import Testing

/// Plugins in plugin-host children, through the runtime's public API (the server-level
/// crash, timeout and hot-reload scenarios are in AgentCoreServerTests).
@Suite("Process isolation")
struct ProcessIsolationTests {
    @Test func anIsolatedPluginAnswersLikeAnInProcessOne() async throws {
        try await TestRuntime.with(fixtures: ["hello"], configure: { $0.isolateDirectoryPlugins() }) { (test: TestRuntime) async throws in
            test.enable(["hello"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "abcd")
            #expect(results.map(\.status) == [.ok])
            #expect(results.map(\.data) == [["hello": 4]])
            #expect(test.runtime.status(pluginId: "hello")?.isolation == .process)
            #expect(test.runtime.status(pluginId: "hello")?.processId != nil)
        }
    }

    @Test func aChildInheritsNoDescriptorOfTheServerBeyondItsSockets() async throws {
        // A pipe opened without O_CLOEXEC, as a library might: it must not reach the child.
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let leaked = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(ends[1])")
        try await TestRuntime.with(fixtures: ["hello"], configure: { $0.isolateDirectoryPlugins() }) { (test: TestRuntime) async throws in
            test.enable(["hello"])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "abcd")
            let pid = try #require(test.runtime.status(pluginId: "hello")?.processId)
            let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
            let targets = descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
            #expect(!targets.isEmpty)
            #expect(!targets.contains(leaked), "\(targets)")
        }
    }

    @Test func keyValueAndLogCallsAreRelayedToTheServer() async throws {
        try await TestRuntime.with(fixtures: ["kv"], configure: { $0.isolateDirectoryPlugins() }) { (test: TestRuntime) async throws in
            test.enable(["kv"])
            let set = try await test.runtime.query(namespaceId: "ns-1", query: "set color blue")
            #expect(set.map(\.data) == [["status": 0]])
            let get = try await test.runtime.query(namespaceId: "ns-1", query: "get color")
            #expect(get.map(\.data) == [["status": 0, "value": "blue"]])
            #expect(test.keyValueStore.value(pluginId: "kv", namespaceId: "ns-1", key: "color") == Array("blue".utf8))
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "log relayed-line")
            let lines = test.logs.all.filter { $0.message == "relayed-line" }
            #expect(lines.count == 1)
            #expect(lines.first?.metadata["pluginId"] == "kv")
            #expect(lines.first?.metadata["namespaceId"] == "ns-1")
        }
    }

    @Test func typedToolsAreCalledInTheChild() async throws {
        try await TestRuntime.with(fixtures: ["typed_tools"], configure: { $0.isolateDirectoryPlugins() }) { (test: TestRuntime) async throws in
            test.enable(["typed-tools"])
            let sum = try await test.runtime.invokeTool(namespaceId: "ns-1", pluginId: "typed-tools", tool: "add", input: ["a": 40, "b": 2])
            #expect(sum == 42)
        }
    }

    @Test func aSegfaultIsReportedAsCrashedWithTheSignalAndTheNextCallGetsAFreshChild() async throws {
        try await TestRuntime.with(fixtures: ["crash_third_call", "hello"], configure: { $0.isolateDirectoryPlugins() }) { (test: TestRuntime) async throws in
            test.enable(["crash-third", "hello"])
            var statuses: [PluginCallStatus] = []
            var crash: PluginCallResult?
            for _ in 0..<4 {
                let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
                #expect(results.last?.status == .ok)  // hello, in the same response
                statuses.append(results[0].status)
                if results[0].status == .crashed { crash = results[0] }
            }
            #expect(statuses == [.ok, .ok, .crashed, .ok])
            #expect(crash?.error == "plugin host crashed: killed by SIGSEGV (signal 11)")
        }
    }

    @Test func repeatedCrashesQuarantineThePluginUntilReactivated() async throws {
        try await TestRuntime.with(fixtures: ["abort_call"], configure: {
            $0.isolateDirectoryPlugins()
            $0.quarantine = QuarantinePolicy(threshold: 2, window: .seconds(60))
            $0.pluginHost.maxRestartBackoff = .milliseconds(10)
        }) { (test: TestRuntime) async throws in
            test.enable(["abort-call"])
            let first = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            let second = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect([first[0].status, second[0].status] == [.crashed, .crashed])
            #expect(first[0].error?.contains("SIGABRT") == true)
            // The exit is counted by the child's watcher thread, just after the call returned.
            let deadline = ContinuousClock.now + .seconds(5)
            while test.runtime.status(pluginId: "abort-call")?.state != .quarantined && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(test.runtime.status(pluginId: "abort-call")?.state == .quarantined)
            let skipped = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(skipped[0].status == .skipped)
            #expect(skipped[0].error?.hasPrefix("plugin abort-call is quarantined (2 crashes or timeouts within 60 s") == true)

            #expect(test.runtime.reactivate(pluginId: "abort-call")?.state == .active)
            let again = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(again[0].status == .crashed)
        }
    }

    @Test func aRunawayCallTimesOutAndItsChildIsKilled() async throws {
        try await TestRuntime.with(fixtures: ["loop_forever"], configure: {
            $0.isolateDirectoryPlugins()
            $0.callTimeout = .milliseconds(300)
        }) { (test: TestRuntime) async throws in
            test.enable(["loop-forever"])
            let pid = try #require(test.runtime.status(pluginId: "loop-forever")?.processId)
            let first = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(first[0].status == .timeout)
            // The child is SIGKILLed at the deadline, not left spinning.
            let deadline = ContinuousClock.now + .seconds(5)
            while kill(pid, 0) == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(kill(pid, 0) == -1)
        }
    }
}
