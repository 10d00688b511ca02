import AgentCoreJSON
import Foundation
import PluginRuntime
import Testing

@Suite("Host services")
struct HostServicesTests {
    private func statuses(_ result: PluginCallResult?) -> [Int64] {
        result?.data?["results"]?.arrayValue?.compactMap { $0["status"]?.int64Value } ?? []
    }

    @Test func httpRateLimitIsPerPluginPerNamespace() async throws {
        let server = try await TestHTTPServer.start(mode: .answer)
        defer { server.stop() }
        try await TestRuntime.with(fixtures: ["http_client"], configure: { $0.httpRequestsPerMinute = 3 }) { (test: TestRuntime) async throws in
            test.enable(["http-client"], in: "ns-a")
            test.enable(["http-client"], in: "ns-b")
            let a = try await test.runtime.query(namespaceId: "ns-a", query: "5 0 \(server.url)/a")
            let b = try await test.runtime.query(namespaceId: "ns-b", query: "2 0 \(server.url)/b")
            // AC_OK = 0, AC_ERR_RATE_LIMITED = -4
            #expect(statuses(a.first) == [0, 0, 0, -4, -4])
            #expect(a.first?.data?["results"]?[0]?["http"] == 200)
            #expect(a.first?.data?["results"]?[0]?["body"] == "ok /a")
            #expect(a.first?.data?["results"]?[3]?["http"] == 0)
            #expect(statuses(b.first) == [0, 0])
            // Refused requests are never sent.
            #expect(server.requestCount == 5)
        }
    }

    @Test func httpRequestToAServerThatNeverAnswersIsTimeBounded() async throws {
        let server = try await TestHTTPServer.start(mode: .neverAnswer)
        defer { server.stop() }
        try await TestRuntime.with(fixtures: ["http_client"], configure: { $0.httpTimeout = .milliseconds(400) }) { (test: TestRuntime) async throws in
            test.enable(["http-client"])
            let started = ContinuousClock.now
            // The plugin asks for 200 ms, then for the host default (capped at 400 ms).
            let asked = try await test.runtime.query(namespaceId: "ns-1", query: "1 200 \(server.url)/slow")
            let capped = try await test.runtime.query(namespaceId: "ns-1", query: "1 60000 \(server.url)/slow")
            let elapsed = started.duration(to: .now)
            // AC_ERR_TIMEOUT = -5, no HTTP status
            #expect(statuses(asked.first) == [-5])
            #expect(statuses(capped.first) == [-5])
            #expect(asked.first?.data?["results"]?[0]?["http"] == 0)
            #expect(elapsed < .seconds(4))
        }
    }

    @Test func httpConnectionRefusedIsUnavailable() async throws {
        try await TestRuntime.with(fixtures: ["http_client"]) { (test: TestRuntime) async throws in
            test.enable(["http-client"])
            let port = try TestHTTPServer.unusedPort()
            let results = try await test.runtime.query(namespaceId: "ns-1", query: "1 0 http://127.0.0.1:\(port)/")
            // AC_ERR_UNAVAILABLE = -6
            #expect(statuses(results.first) == [-6])
        }
    }

    @Test func keyValueEntriesOfOneNamespaceAreInvisibleToAnother() async throws {
        try await TestRuntime.with(fixtures: ["kv"]) { (test: TestRuntime) async throws in
            test.enable(["kv"], in: "ns-a")
            test.enable(["kv"], in: "ns-b")
            let set = try await test.runtime.query(namespaceId: "ns-a", query: "set color blue")
            let getA = try await test.runtime.query(namespaceId: "ns-a", query: "get color")
            let getB = try await test.runtime.query(namespaceId: "ns-b", query: "get color")
            #expect(set.first?.data == ["status": 0])
            #expect(getA.first?.data == ["status": 0, "value": "blue"])
            // AC_ERR_NOT_FOUND = -3
            #expect(getB.first?.data == ["status": -3])
            #expect(test.keyValueStore.value(pluginId: "kv", namespaceId: "ns-a", key: "color") == Array("blue".utf8))
            #expect(test.keyValueStore.value(pluginId: "kv", namespaceId: "ns-b", key: "color") == nil)

            let delete = try await test.runtime.query(namespaceId: "ns-a", query: "delete color")
            #expect(delete.first?.data == ["status": 0])
            #expect(try await test.runtime.query(namespaceId: "ns-a", query: "get color").first?.data == ["status": -3])
        }
    }

    @Test func keyValueRefusesOversizedKeysAndValues() async throws {
        try await TestRuntime.with(fixtures: ["kv"]) { (test: TestRuntime) async throws in
            test.enable(["kv"])
            let longKey = String(repeating: "k", count: 257)
            let maxKey = String(repeating: "k", count: 256)
            // AC_ERR_INVALID_INPUT = -2
            #expect(try await test.runtime.query(namespaceId: "ns-1", query: "set \(longKey) v").first?.data == ["status": -2])
            #expect(try await test.runtime.query(namespaceId: "ns-1", query: "set \(maxKey) v").first?.data == ["status": 0])
            #expect(try await test.runtime.query(namespaceId: "ns-1", query: "setbig big 65537").first?.data == ["status": -2])
            #expect(try await test.runtime.query(namespaceId: "ns-1", query: "setbig big 65536").first?.data == ["status": 0])
        }
    }

    @Test func pluginLogLinesCarryPluginNamespaceDepartmentAndFields() async throws {
        try await TestRuntime.with(fixtures: ["kv"]) { (test: TestRuntime) async throws in
            test.source.set("ns-1", department: "dept-7", [PluginInstall(pluginId: "kv", enabled: true, config: [:])])
            _ = try await test.runtime.query(namespaceId: "ns-1", query: "log hello-from-plugin")
            let lines = test.logs.all.filter { $0.message == "hello-from-plugin" }
            #expect(lines.count == 1)
            #expect(lines.first?.level == .warning)
            #expect(lines.first?.metadata["pluginId"] == "kv")
            #expect(lines.first?.metadata["namespaceId"] == "ns-1")
            #expect(lines.first?.metadata["departmentId"] == "dept-7")
            #expect(lines.first?.metadata["source"] == "kv-fixture")
        }
    }
}
