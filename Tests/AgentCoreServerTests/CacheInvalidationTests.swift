import AgentCoreJSON
import Synchronization
import Testing

/// Every config write invalidates the runtime's cache before the response:
/// a hook call that starts after a PATCH's response never sees the old config.
@Suite("Cache invalidation")
struct CacheInvalidationTests {
    @Test func noQueryStartedAfterAPatchResponseSeesTheOldConfig() async throws {
        try await withServer { _, api in
            try await api.createNamespace("hot")
            try await api.install("config-echo", in: "hot", config: ["version": 0])
            let committed = Counter()
            let patches = 25
            let observations = try await withThrowingTaskGroup(of: [(floor: Int, seen: Int)].self) { group in
                group.addTask {
                    for version in 1...patches {
                        let response = try await api.patch("/api/v1/namespaces/hot/plugins/config-echo", ["config": ["version": .number(JSONNumber(version))]])
                        #expect(response.status == 200)
                        committed.value.store(version, ordering: .sequentiallyConsistent)
                    }
                    return []
                }
                for _ in 0..<6 {
                    group.addTask {
                        var seen: [(floor: Int, seen: Int)] = []
                        while committed.value.load(ordering: .sequentiallyConsistent) < patches {
                            // The version whose PATCH had answered before this query was sent.
                            let floor = committed.value.load(ordering: .sequentiallyConsistent)
                            let response = try await api.post("/api/v1/namespaces/hot/query", ["query": "v?"])
                            let version = response.json["results"]?[0]?["data"]?["config"]?["version"]?.int64Value
                            seen.append((floor, Int(version ?? -1)))
                        }
                        return seen
                    }
                }
                var all: [(floor: Int, seen: Int)] = []
                for try await part in group { all += part }
                return all
            }
            #expect(observations.count > patches)
            let stale = observations.filter { $0.seen < $0.floor }
            #expect(stale.isEmpty, "queries saw an older config than the last PATCH answered before they started: \(stale.prefix(5))")
            // After the last PATCH, every query sees the last version.
            let final = try await api.post("/api/v1/namespaces/hot/query", ["query": "v?"])
            #expect(final.json["results"]?[0]?["data"]?["config"]?["version"] == .number(JSONNumber(patches)))
        }
    }

    @Test func disablingAndDeletingTakeEffectForTheNextQuery() async throws {
        try await withServer { _, api in
            try await api.createNamespace("toggle")
            try await api.install("config-echo", in: "toggle")
            #expect(try await api.post("/api/v1/namespaces/toggle/query", ["query": "x"]).json["results"]?.arrayValue?.count == 1)
            try await api.patch("/api/v1/namespaces/toggle/plugins/config-echo", ["enabled": false]).expectStatus(200)
            #expect(try await api.post("/api/v1/namespaces/toggle/query", ["query": "x"]).json["results"] == [])
            try await api.patch("/api/v1/namespaces/toggle/plugins/config-echo", ["enabled": true]).expectStatus(200)
            #expect(try await api.post("/api/v1/namespaces/toggle/query", ["query": "x"]).json["results"]?.arrayValue?.count == 1)
            try await api.delete("/api/v1/namespaces/toggle/plugins/config-echo").expectStatus(204)
            #expect(try await api.post("/api/v1/namespaces/toggle/query", ["query": "x"]).json["results"] == [])
            try await api.delete("/api/v1/namespaces/toggle").expectStatus(204)
            #expect(try await api.post("/api/v1/namespaces/toggle/query", ["query": "x"]).status == 404)
        }
    }

    // The namespace rows and install lists are cached in memory in front of SQLite: every write
    // through the API must be in the next read.

    @Test func aConfigPatchedThroughTheAPIIsInTheNextRead() async throws {
        try await withServer { _, api in
            try await api.createNamespace("cached")
            try await api.install("config-echo", in: "cached", config: ["version": 1])
            #expect(try await api.get("/api/v1/namespaces/cached/plugins").json[0]?["config"]?["version"] == 1)
            try await api.patch("/api/v1/namespaces/cached/plugins/config-echo", ["config": ["version": 2]]).expectStatus(200)
            #expect(try await api.get("/api/v1/namespaces/cached/plugins").json[0]?["config"]?["version"] == 2)
            #expect(try await api.get("/api/v1/namespaces/cached/plugins/config-echo").json["config"]?["version"] == 2)
        }
    }

    @Test func aNamespaceDeletedThroughTheAPIIsGoneFromTheNextRead() async throws {
        try await withServer { _, api in
            try await api.createNamespace("gone")
            try await api.install("config-echo", in: "gone")
            try await api.get("/api/v1/namespaces/gone").expectStatus(200)
            try await api.get("/api/v1/namespaces/gone/plugins").expectStatus(200)
            try await api.delete("/api/v1/namespaces/gone").expectStatus(204)
            #expect(try await api.get("/api/v1/namespaces/gone").status == 404)
            #expect(try await api.get("/api/v1/namespaces/gone/plugins").status == 404)
            #expect(try await api.get("/api/v1/namespaces/gone/plugins/config-echo").status == 404)
        }
    }

    @Test func aNamespaceRecreatedInAnotherDepartmentIsSeenOnlyFromThere() async throws {
        try await withServer { _, api in
            try await api.createNamespace("moved", department: "d1")
            try await api.get("/api/v1/namespaces/moved", token: TestToken.user(["d1"])).expectStatus(200)
            try await api.delete("/api/v1/namespaces/moved").expectStatus(204)
            try await api.createNamespace("moved", department: "d2")
            #expect(try await api.get("/api/v1/namespaces/moved", token: TestToken.user(["d1"])).status == 404)
            #expect(try await api.get("/api/v1/namespaces/moved", token: TestToken.user(["d2"])).json["departmentId"] == "d2")
        }
    }
}

/// The last version whose PATCH has answered, shared by the tasks of the test.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
