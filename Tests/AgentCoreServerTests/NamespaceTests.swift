import AgentCoreJSON
import Foundation
import Testing

/// POST/GET/DELETE /api/v1/namespaces, ids, body errors and department scoping.
@Suite("Namespaces")
struct NamespaceTests {
    @Test func createReturns201WithTheNamespace() async throws {
        try await withServer { _, api in
            let response = try await api.post("/api/v1/namespaces", ["id": "sales", "name": "Sales team", "departmentId": "d1"])
            #expect(response.status == 201)
            #expect(response.json["id"] == "sales")
            #expect(response.json["name"] == "Sales team")
            #expect(response.json["departmentId"] == "d1")
            #expect(response.json["createdAt"]?.stringValue?.hasSuffix("Z") == true)
            #expect(response.json.objectValue?.keys.sorted() == ["createdAt", "departmentId", "id", "name"])

            let fetched = try await api.get("/api/v1/namespaces/sales")
            #expect(fetched.status == 200)
            #expect(fetched.json == response.json)
        }
    }

    @Test func createWithoutIdGeneratesOne() async throws {
        try await withServer { _, api in
            let response = try await api.post("/api/v1/namespaces", ["name": "Anonymous", "departmentId": "d1"])
            #expect(response.status == 201)
            let id = try #require(response.json["id"]?.stringValue)
            #expect(id.hasPrefix("ns-"))
            #expect(id.count == 15)
            #expect(try await api.get("/api/v1/namespaces/\(id)").status == 200)
        }
    }

    @Test func duplicateIdIs409() async throws {
        try await withServer { _, api in
            try await api.createNamespace("dup")
            let response = try await api.post("/api/v1/namespaces", ["id": "dup", "name": "Again", "departmentId": "d2"])
            #expect(response.status == 409)
            #expect(response.errorCode == "conflict")
            #expect(try await api.get("/api/v1/namespaces/dup").json["departmentId"] == "d1")
        }
    }

    @Test func invalidIdsAre400() async throws {
        try await withServer { _, api in
            for id in ["Upper", "-leading", "with space", "dots.no", String(repeating: "a", count: 65), ""] {
                let response = try await api.post("/api/v1/namespaces", ["id": .string(id), "name": "n", "departmentId": "d1"])
                #expect(response.status == 400, "\(id)")
                #expect(response.errorCode == "invalid_id", "\(id)")
            }
            let badDepartment = try await api.post("/api/v1/namespaces", ["id": "ok", "name": "n", "departmentId": "D 1"])
            #expect(badDepartment.status == 400)
            #expect(badDepartment.errorCode == "invalid_id")
            let badPath = try await api.get("/api/v1/namespaces/BAD")
            #expect(badPath.status == 400)
            #expect(try await api.get("/api/v1/namespaces").json == [])
        }
    }

    @Test func unknownFieldsAre400NamingThem() async throws {
        try await withServer { _, api in
            let response = try await api.post("/api/v1/namespaces", ["id": "x", "name": "n", "departmentId": "d1", "owner": "bob", "color": "red"])
            #expect(response.status == 400)
            #expect(response.errorCode == "unknown_fields")
            #expect(response.json["error"]?["details"] == ["color", "owner"])
            #expect(response.errorMessage?.hasPrefix("unknown fields color, owner") == true)
            #expect(try await api.get("/api/v1/namespaces/x").status == 404)
        }
    }

    @Test func invalidJSONIs400() async throws {
        try await withServer { _, api in
            for body in ["{\"id\": ", "not json", "[1,2]", "", "{\"a\":1} trailing"] {
                let response = try await api.send(.POST, "/api/v1/namespaces", body: Array(body.utf8))
                #expect(response.status == 400, "\(body)")
                #expect(response.errorCode == "invalid_json", "\(body)")
            }
        }
    }

    @Test func missingOrWronglyTypedFieldsAre400() async throws {
        try await withServer { _, api in
            let missing = try await api.post("/api/v1/namespaces", ["id": "x", "departmentId": "d1"])
            #expect(missing.status == 400)
            #expect(missing.errorMessage == "missing required field name")
            let wrongType = try await api.post("/api/v1/namespaces", ["id": "x", "name": 42, "departmentId": "d1"])
            #expect(wrongType.status == 400)
            #expect(wrongType.errorMessage == "field name must be a string, not integer")
        }
    }

    @Test func bodyOver1MiBIs413() async throws {
        try await withServer { _, api in
            let big = JSONValue.object(["id": "big", "name": .string(String(repeating: "x", count: (1 << 20) + 10)), "departmentId": "d1"])
            let response = try await api.send(.POST, "/api/v1/namespaces", body: big.serializedBytes())
            #expect(response.status == 413)
            #expect(response.errorCode == "payload_too_large")
            #expect(try await api.get("/api/v1/namespaces/big").status == 404)
        }
    }

    @Test func deleteIs204AndThenTheNamespaceIsGone() async throws {
        try await withServer { _, api in
            try await api.createNamespace("gone")
            try await api.install("config-echo", in: "gone")
            let response = try await api.delete("/api/v1/namespaces/gone")
            #expect(response.status == 204)
            #expect(response.bytes.isEmpty)
            #expect(try await api.get("/api/v1/namespaces/gone").status == 404)
            #expect(try await api.get("/api/v1/namespaces/gone/plugins").status == 404)
            #expect(try await api.delete("/api/v1/namespaces/gone").status == 404)
            // Recreating it starts empty: the installs went with it.
            try await api.createNamespace("gone")
            #expect(try await api.get("/api/v1/namespaces/gone/plugins").json == [])
        }
    }

    @Test func unknownNamespaceIs404() async throws {
        try await withServer { _, api in
            let response = try await api.get("/api/v1/namespaces/nowhere")
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
            #expect(response.errorMessage == "namespace nowhere not found")
        }
    }

    @Test func listShowsOnlyNamespacesOfTheCallersDepartments() async throws {
        try await withServer { _, api in
            try await api.createNamespace("a1", department: "d1")
            try await api.createNamespace("a2", department: "d2")
            try await api.createNamespace("a3", department: "d3")
            let all = try await api.get("/api/v1/namespaces")
            #expect(all.json.arrayValue?.compactMap { $0["id"]?.stringValue } == ["a1", "a2", "a3"])
            let d1 = try await api.get("/api/v1/namespaces", token: TestToken.user(["d1"]))
            #expect(d1.json.arrayValue?.compactMap { $0["id"]?.stringValue } == ["a1"])
            let d1d3 = try await api.get("/api/v1/namespaces", token: TestToken.user(["d1", "d3"]))
            #expect(d1d3.json.arrayValue?.compactMap { $0["id"]?.stringValue } == ["a1", "a3"])
        }
    }

    @Test func aD1UserCanNeitherSeeNorChangeAD2NamespaceAndGets404() async throws {
        try await withServer { _, api in
            try await api.createNamespace("theirs", department: "d2")
            let d1 = TestToken.user(["d1"])
            let missing = try await api.get("/api/v1/namespaces/never-existed", token: d1)
            let requests: [(String, APIResponse)] = [
                ("get", try await api.get("/api/v1/namespaces/theirs", token: d1)),
                ("delete", try await api.delete("/api/v1/namespaces/theirs", token: d1)),
                ("list plugins", try await api.get("/api/v1/namespaces/theirs/plugins", token: d1)),
                ("install", try await api.post("/api/v1/namespaces/theirs/plugins/config-echo", ["config": [:]], token: d1)),
                ("patch", try await api.patch("/api/v1/namespaces/theirs/plugins/config-echo", ["enabled": false], token: d1)),
                ("uninstall", try await api.delete("/api/v1/namespaces/theirs/plugins/config-echo", token: d1)),
                ("status", try await api.get("/api/v1/namespaces/theirs/plugins/config-echo/status", token: d1)),
                ("query", try await api.post("/api/v1/namespaces/theirs/query", ["query": "x"], token: d1)),
                ("approval", try await api.post("/api/v1/namespaces/theirs/approvals", ["title": "x"], token: d1)),
                ("document", try await api.post("/api/v1/namespaces/theirs/documents", ["name": "x", "content": "y"], token: d1)),
                ("tools", try await api.get("/api/v1/namespaces/theirs/tools", token: d1)),
                ("invoke", try await api.post("/api/v1/namespaces/theirs/tools/opendatabot/lookup_company", ["input": ["code": "00032112"]], token: d1)),
            ]
            for (name, response) in requests {
                #expect(response.status == 404, "\(name): \(response.text)")
                #expect(response.json == missing.json.replacingNamespace("never-existed", with: "theirs"), "\(name)")
            }
            // Nothing changed.
            #expect(try await api.get("/api/v1/namespaces/theirs").status == 200)
            #expect(try await api.get("/api/v1/namespaces/theirs/plugins").json == [])
        }
    }

    @Test func aNonGlobalUserCreatesOnlyInItsOwnDepartments() async throws {
        try await withServer { _, api in
            let d1 = TestToken.user(["d1"])
            let own = try await api.post("/api/v1/namespaces", ["id": "mine", "name": "Mine", "departmentId": "d1"], token: d1)
            #expect(own.status == 201)
            let other = try await api.post("/api/v1/namespaces", ["id": "not-mine", "name": "No", "departmentId": "d2"], token: d1)
            #expect(other.status == 403)
            #expect(other.errorCode == "forbidden")
            #expect(try await api.get("/api/v1/namespaces/not-mine").status == 404)
        }
    }
}

extension JSONValue {
    /// The same error body with the namespace id in its message swapped (to compare 404s of two ids).
    fileprivate func replacingNamespace(_ old: String, with new: String) -> JSONValue {
        guard let message = self["error"]?["message"]?.stringValue else { return self }
        return replacing(at: JSONPointer(tokens: ["error", "message"]), with: .string(message.replacingOccurrences(of: old, with: new)))
    }
}
