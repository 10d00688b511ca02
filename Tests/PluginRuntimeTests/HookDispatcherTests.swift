import AgentCoreJSON
import Foundation
import PluginRuntime
import Testing

@Suite("Hook dispatcher")
struct HookDispatcherTests {
    @Test func queryGathersEveryQueryPluginSortedById() async throws {
        try await TestRuntime.with(fixtures: ["hello-b", "hello-a", "typed_tools"]) { (test: TestRuntime) async throws in
            test.enable(["hello-b", "hello-a", "typed-tools"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "abcd")
            #expect(results.map(\.pluginId) == ["hello-a", "hello-b"])
            #expect(results.map(\.status) == [.ok, .ok])
            #expect(results.map(\.data) == [["hello": 4], ["hello": 4]])
            #expect(results.allSatisfy { $0.error == nil && $0.durationMs >= 0 })
        }
    }

    @Test func hookErrorIsReportedWithItsMessage() async throws {
        try await TestRuntime.with(fixtures: ["error_hook", "hello"]) { (test: TestRuntime) async throws in
            test.enable(["error-hook", "hello"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.map(\.pluginId) == ["error-hook", "hello"])
            #expect(results[0].status == .error)
            #expect(results[0].error == "upstream registry unavailable")
            #expect(results[0].data == nil)
            #expect(results[1].status == .ok)
            let warnings = test.logs.all.filter { $0.level == .warning && $0.metadata["pluginId"] == "error-hook" }
            #expect(warnings.map(\.message) == ["plugin call error: upstream registry unavailable"])
            #expect(warnings.first?.metadata["namespaceId"] == "ns-1")
        }
    }

    @Test func outputThatIsNotJSONIsAnError() async throws {
        try await TestRuntime.with(fixtures: ["invalid_json"]) { (test: TestRuntime) async throws in
            test.enable(["invalid-json"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.map(\.status) == [.error])
            let message = try #require(results.first?.error)
            #expect(message.hasPrefix("plugin returned invalid JSON: invalid JSON at byte"))
        }
    }

    @Test func slowHookTimesOutWhileTheOthersStillAnswer() async throws {
        try await TestRuntime.with(fixtures: ["slow_hook", "hello"], configure: { $0.callTimeout = .milliseconds(300) }) { (test: TestRuntime) async throws in
            test.enable(["slow-hook", "hello"])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "warm up: create the instances")
            let started = ContinuousClock.now
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            let elapsed = started.duration(to: .now)
            #expect(results.map(\.pluginId) == ["hello", "slow-hook"])
            #expect(results.map(\.status) == [.ok, .timeout])
            #expect(results[1].error == "no result within 300 ms")
            #expect(results[0].data == ["hello": 1])
            // The hook sleeps 3 s; the dispatcher stopped waiting at the 300 ms bound.
            #expect(elapsed < .milliseconds(2500))
            #expect(results[1].durationMs >= 300)
            let statistics = test.runtime.statistics(namespaceId: "ns-1", pluginId: "slow-hook")
            #expect(statistics.timeouts == 2)
            #expect(statistics.lastError == "no result within 300 ms")
        }
    }

    @Test func pluginWhoseThreadsAreAllStuckIsSkippedAsSaturated() async throws {
        try await TestRuntime.with(fixtures: ["slow_hook"], configure: {
            $0.callTimeout = .milliseconds(300)
            $0.maxThreadsPerPlugin = 2
        }) { (test: TestRuntime) async throws in
            test.enable(["slow-hook"])
            // create runs on a thread that is free again at once; then two calls get stuck for 3 s.
            let first = try await test.runtime.query(namespaceId: "ns-1", query: "1")
            let second = try await test.runtime.query(namespaceId: "ns-1", query: "2")
            let third = try await test.runtime.query(namespaceId: "ns-1", query: "3")
            #expect(first.map(\.status) == [.timeout])
            #expect(second.map(\.status) == [.timeout])
            #expect(third.map(\.status) == [.skipped])
            #expect(third.first?.error == "plugin saturated: 2 threads busy")
            #expect(test.runtime.threadUsage(pluginId: "slow-hook") == PluginThreadUsage(threads: 2, busy: 2, stuck: 2))
        }
    }

    @Test func unknownNamespaceThrows() async throws {
        try await TestRuntime.with(fixtures: ["hello"]) { (test: TestRuntime) async throws in
            await #expect(throws: DispatchError.namespaceNotFound("missing")) {
                try await test.runtime.query(namespaceId: "missing", query: "q")
            }
        }
    }

    @Test func disabledInstallIsNotCalled() async throws {
        try await TestRuntime.with(fixtures: ["hello-a", "hello-b"]) { (test: TestRuntime) async throws in
            test.source.set("ns-1", [
                PluginInstall(pluginId: "hello-a", enabled: false, config: [:]),
                PluginInstall(pluginId: "hello-b", enabled: true, config: [:]),
            ])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.map(\.pluginId) == ["hello-b"])
        }
    }

    @Test func configTheSchemaRejectsIsSkippedAndReported() async throws {
        try await TestRuntime.with(fixtures: ["echo_config", "hello"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config", "hello"], configs: ["echo-config": ["version": "not a number"]])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.map(\.status) == [.skipped, .ok])
            let message = try #require(results.first?.error)
            #expect(message.hasPrefix("config rejected by the plugin's schema: /version: "))
            #expect(test.logs.all.contains { $0.level == .warning && $0.message.hasPrefix("install skipped: config rejected") })
        }
    }

    @Test func installOfAPluginThatIsNotLoadedIsSkippedInEvents() async throws {
        try await TestRuntime.with(fixtures: ["hello"]) { (test: TestRuntime) async throws in
            test.enable(["hello", "ghost"])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.map(\.pluginId) == ["hello"])
        }
    }

    @Test func eventIsDeliveredAsTheDocumentedEnvelope() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config"], configs: ["echo-config": ["version": 1]])
            let event = PluginEvent(
                kind: .approvalCreated, deliveryId: "d-1", attempt: 2, occurredAt: Date(timeIntervalSince1970: 1_700_000_000),
                namespaceId: "ns-1", departmentId: "dept-1", data: ["approvalId": "a-1", "title": "Buy", "payload": [1, 2]]
            )
            let result = await test.runtime.deliver(event, pluginId: "echo-config")
            #expect(result.status == .ok)
            #expect(result.data == [
                "event": "approval.created", "deliveryId": "d-1", "attempt": 2,
                "occurredAt": "2023-11-14T22:13:20.000Z", "namespaceId": "ns-1", "departmentId": "dept-1",
                "data": ["approvalId": "a-1", "title": "Buy", "payload": [1, 2]],
            ])
        }
    }

    @Test func eventForAPluginWithoutTheCapabilityIsSkipped() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config"], configs: ["echo-config": ["version": 1]])
            let event = PluginEvent(
                kind: .documentReady, deliveryId: "d-1", attempt: 1, occurredAt: Date(),
                namespaceId: "ns-1", departmentId: "dept-1", data: [:]
            )
            let result = await test.runtime.deliver(event, pluginId: "echo-config")
            #expect(result.status == .skipped)
            #expect(result.error == "plugin echo-config does not handle document.ready events")
        }
    }

    @Test func subscribersAreTheEnabledPluginsWithTheCapability() async throws {
        try await TestRuntime.with(fixtures: ["echo_config", "hello"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config", "hello"], configs: ["echo-config": ["version": 1]])
            #expect(try await test.runtime.subscribers(of: .approvalCreated, namespaceId: "ns-1") == ["echo-config"])
            #expect(try await test.runtime.subscribers(of: .documentReady, namespaceId: "ns-1") == [])
        }
    }

    @Test func statisticsCountCallsAndFailures() async throws {
        try await TestRuntime.with(fixtures: ["error_hook"]) { (test: TestRuntime) async throws in
            test.enable(["error-hook"])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            let statistics = test.runtime.statistics(namespaceId: "ns-1", pluginId: "error-hook")
            // create + two queries
            #expect(statistics.calls == 3)
            #expect(statistics.failures == 2)
            #expect(statistics.timeouts == 0)
            #expect(statistics.lastError == "upstream registry unavailable")
            #expect(statistics.lastErrorAt != nil)
            #expect(test.runtime.statistics(namespaceId: "ns-2", pluginId: "error-hook") == PluginCallStatistics())
        }
    }
}
