import AgentCoreJSON
import Foundation
import PluginRuntime
import Synchronization
import Testing

@Suite("Namespace registry")
struct NamespaceRegistryTests {
    @Test func createReceivesTheConfigWithSchemaDefaultsApplied() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"]) { (test: TestRuntime) async throws in
            test.source.set("ns-1", department: "dept-9", [PluginInstall(pluginId: "echo-config", enabled: true, config: ["version": 1])])
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(results.first?.data?["config"] == ["version": 1, "greeting": "hi"])
            #expect(results.first?.data?["namespaceId"] == "ns-1")
            #expect(results.first?.data?["departmentId"] == "dept-9")
        }
    }

    @Test func cachedInstanceIsReusedUntilInvalidated() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config"], configs: ["echo-config": ["version": 1]])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            test.enable(["echo-config"], configs: ["echo-config": ["version": 2]])
            let cached = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(cached.first?.data?["config"]?["version"] == 1)
            #expect(test.source.reads.load(ordering: .relaxed) == 1)

            await test.runtime.invalidate(namespaceId: "ns-1", pluginId: "echo-config")
            let fresh = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(fresh.first?.data?["config"]?["version"] == 2)
        }
    }

    @Test func oldInstanceIsDestroyedAfterInvalidation() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config"], configs: ["echo-config": ["version": 1]])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            for version in 2...5 {
                test.enable(["echo-config"], configs: ["echo-config": ["version": .number(JSONNumber(version))]])
                await test.runtime.invalidate(namespaceId: "ns-1")
                _ = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            }
            // destroy runs on a plugin thread after the last reference is gone: poll briefly.
            var live: JSONValue?
            for _ in 0..<200 {
                live = try await test.runtime.query(namespaceId: "ns-1", query: "q").first?.data?["live"]
                if live == 1 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(live == 1)
        }
    }

    @Test func perPluginInvalidationKeepsTheOtherInstances() async throws {
        try await TestRuntime.with(fixtures: ["echo_config", "kv"]) { (test: TestRuntime) async throws in
            test.enable(["echo-config", "kv"], configs: ["echo-config": ["version": 1]])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "set k v")
            await test.runtime.invalidate(namespaceId: "ns-1", pluginId: "kv")
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "get k")
            // echo-config: one create; kv: created twice.
            #expect(test.runtime.statistics(namespaceId: "ns-1", pluginId: "echo-config").calls == 3)
            #expect(test.runtime.statistics(namespaceId: "ns-1", pluginId: "kv").calls == 4)
        }
    }

    @Test func noCallStartedAfterInvalidateSeesTheOldConfig() async throws {
        // A slow install source widens the window in which a fill started before an
        // invalidation could finish after it.
        try await TestRuntime.with(fixtures: ["echo_config"], sourceDelay: .milliseconds(15)) { (test: TestRuntime) async throws in
            test.enable(["echo-config"], configs: ["echo-config": ["version": 0]])
            let shared = RaceRecord()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Readers: each remembers the newest version published before its call started
                // and checks the call saw at least that one.
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<40 {
                            let floor = shared.published.load(ordering: .acquiring)
                            let results = try await test.runtime.query(namespaceId: "ns-1", query: "q")
                            let seen = results.first?.data?["config"]?["version"]?.int64Value ?? -1
                            if seen < floor {
                                shared.violations.withLock { $0.append("saw \(seen) after \(floor) was published") }
                            }
                        }
                    }
                }
                group.addTask {
                    for version in 1...20 {
                        test.enable(["echo-config"], configs: ["echo-config": ["version": .number(JSONNumber(version))]])
                        if version.isMultiple(of: 2) {
                            await test.runtime.invalidate(namespaceId: "ns-1")
                        } else {
                            await test.runtime.invalidate(namespaceId: "ns-1", pluginId: "echo-config")
                        }
                        shared.published.store(version, ordering: .releasing)
                        try await Task.sleep(for: .milliseconds(7))
                    }
                }
                try await group.waitForAll()
            }
            #expect(shared.violations.withLock { $0 } == [])
            let last = try await test.runtime.query(namespaceId: "ns-1", query: "q")
            #expect(last.first?.data?["config"]?["version"] == 20)
        }
    }

    @Test func concurrentMissesShareOneFill() async throws {
        try await TestRuntime.with(fixtures: ["echo_config"], sourceDelay: .milliseconds(50)) { (test: TestRuntime) async throws in
            test.enable(["echo-config"], configs: ["echo-config": ["version": 1]])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try await test.runtime.query(namespaceId: "ns-1", query: "q") }
                }
                try await group.waitForAll()
            }
            #expect(test.source.reads.load(ordering: .relaxed) == 1)
        }
    }
}

/// What the invalidation race test shares between its tasks.
private final class RaceRecord: Sendable {
    /// The newest config version whose invalidation has returned.
    let published = Atomic<Int>(0)
    let violations = Mutex<[String]>([])
}
