import AgentCoreJSON
import Foundation
import Testing

/// GET /api/v1/plugins and the install routes of a namespace.
@Suite("Plugin installs")
struct PluginInstallTests {
    @Test func catalogListsEveryLoadedPluginWithItsSource() async throws {
        try await withServer { _, api in
            let response = try await api.get("/api/v1/plugins")
            #expect(response.status == 200)
            let plugins = try #require(response.json.arrayValue)
            let ids = plugins.compactMap { $0["id"]?.stringValue }
            #expect(ids == ids.sorted())
            #expect(Set(ids).isSuperset(of: ["config-echo", "opendatabot", "webhooks"]))
            let echo = try #require(plugins.first { $0["id"] == "config-echo" })
            #expect(echo["source"] == "directory")
            #expect(echo["name"] == "Config echo")
            #expect(echo["version"] == "1.0.0")
            #expect(echo["category"] == "testing")
            #expect(echo["capabilities"] == ["agent_query"])
            #expect(echo["configSchema"]?["properties"]?["token"]?["writeOnly"] == true)
            #expect(plugins.first { $0["id"] == "webhooks" }?["source"] == "builtin")
            #expect(plugins.first { $0["id"] == "opendatabot" }?["source"] == "builtin")
        }
    }

    @Test func catalogFiltersByCategory() async throws {
        try await withServer { _, api in
            let response = try await api.get("/api/v1/plugins?category=testing")
            #expect(response.json.arrayValue?.compactMap { $0["id"]?.stringValue } == ["config-echo"])
            #expect(try await api.get("/api/v1/plugins?category=nothing-here").json == [])
        }
    }

    @Test func installReturns201WithDefaultsApplied() async throws {
        try await withServer { _, api in
            try await api.createNamespace("inst")
            let response = try await api.post("/api/v1/namespaces/inst/plugins/config-echo", ["config": ["version": 3]])
            #expect(response.status == 201)
            #expect(response.json["pluginId"] == "config-echo")
            #expect(response.json["enabled"] == true)
            #expect(response.json["config"] == ["version": 3, "label": "plain"])
            #expect(response.json["createdAt"] == response.json["updatedAt"])
            let listed = try await api.get("/api/v1/namespaces/inst/plugins")
            #expect(listed.json == [response.json])
            #expect(try await api.get("/api/v1/namespaces/inst/plugins/config-echo").json == response.json)
        }
    }

    @Test func installWithoutConfigUsesTheSchemaDefaults() async throws {
        try await withServer { _, api in
            try await api.createNamespace("bare")
            let response = try await api.post("/api/v1/namespaces/bare/plugins/config-echo", [:])
            #expect(response.status == 201)
            #expect(response.json["config"] == ["version": 0, "label": "plain"])
        }
    }

    @Test func installOfUnknownPluginOrNamespaceIs404() async throws {
        try await withServer { _, api in
            try await api.createNamespace("here")
            let plugin = try await api.post("/api/v1/namespaces/here/plugins/no-such-plugin", ["config": [:]])
            #expect(plugin.status == 404)
            #expect(plugin.errorMessage == "plugin no-such-plugin not found")
            let namespace = try await api.post("/api/v1/namespaces/nowhere/plugins/config-echo", ["config": [:]])
            #expect(namespace.status == 404)
            #expect(namespace.errorMessage == "namespace nowhere not found")
            let badId = try await api.post("/api/v1/namespaces/here/plugins/Bad_Id!", ["config": [:]])
            #expect(badId.status == 400)
        }
    }

    @Test func secondInstallOfTheSamePluginIs409() async throws {
        try await withServer { _, api in
            try await api.createNamespace("twice")
            try await api.install("config-echo", in: "twice", config: ["version": 1])
            let response = try await api.post("/api/v1/namespaces/twice/plugins/config-echo", ["config": ["version": 2]])
            #expect(response.status == 409)
            #expect(response.errorCode == "conflict")
            #expect(try await api.get("/api/v1/namespaces/twice/plugins/config-echo").json["config"]?["version"] == 1)
        }
    }

    @Test func invalidConfigIs422ListingEveryErrorWithItsPathAndNothingIsStored() async throws {
        try await withServer { _, api in
            try await api.createNamespace("strict")
            let response = try await api.post(
                "/api/v1/namespaces/strict/plugins/config-echo",
                ["config": ["version": -1, "mode": "slow", "token": "short", "nested": ["user": 7]]]
            )
            #expect(response.status == 422)
            #expect(response.errorCode == "validation_failed")
            let details = try #require(response.json["error"]?["details"]?.arrayValue)
            let paths = Set(details.compactMap { $0["path"]?.stringValue })
            #expect(paths == ["/version", "/mode", "/token", "/nested/user"])
            #expect(details.allSatisfy { ($0["message"]?.stringValue?.isEmpty == false) })
            #expect(details.allSatisfy { $0.objectValue?.keys.sorted() == ["message", "path"] })
            #expect(try await api.get("/api/v1/namespaces/strict/plugins").json == [])
            #expect(try await api.get("/api/v1/namespaces/strict/plugins/config-echo").status == 404)
        }
    }

    @Test func unknownConfigPropertyIs422AndUnknownBodyFieldIs400() async throws {
        try await withServer { _, api in
            try await api.createNamespace("fields")
            let property = try await api.post("/api/v1/namespaces/fields/plugins/config-echo", ["config": ["colour": "red"]])
            #expect(property.status == 422)
            let field = try await api.post("/api/v1/namespaces/fields/plugins/config-echo", ["config": [:], "priority": 1])
            #expect(field.status == 400)
            #expect(field.errorCode == "unknown_fields")
            #expect(field.json["error"]?["details"] == ["priority"])
            #expect(try await api.get("/api/v1/namespaces/fields/plugins").json == [])
        }
    }

    @Test func patchReplacesTheConfigAndKeepsEnabledUnlessGiven() async throws {
        try await withServer { _, api in
            try await api.createNamespace("patch")
            let created = try await api.install("config-echo", in: "patch", config: ["version": 1, "label": "first"])
            let response = try await api.patch("/api/v1/namespaces/patch/plugins/config-echo", ["config": ["version": 2]])
            #expect(response.status == 200)
            // Replaced, not merged: label is back to its default.
            #expect(response.json["config"] == ["version": 2, "label": "plain"])
            #expect(response.json["enabled"] == true)
            #expect(response.json["createdAt"] == created["createdAt"])
            let disabled = try await api.patch("/api/v1/namespaces/patch/plugins/config-echo", ["enabled": false])
            #expect(disabled.status == 200)
            #expect(disabled.json["enabled"] == false)
            #expect(disabled.json["config"] == ["version": 2, "label": "plain"])
            #expect(try await api.get("/api/v1/namespaces/patch/plugins/config-echo").json == disabled.json)
        }
    }

    @Test func patchWithInvalidConfigIs422AndKeepsTheStoredConfig() async throws {
        try await withServer { _, api in
            try await api.createNamespace("keep")
            let created = try await api.install("config-echo", in: "keep", config: ["version": 5])
            let response = try await api.patch("/api/v1/namespaces/keep/plugins/config-echo", ["config": ["version": "six"], "enabled": false])
            #expect(response.status == 422)
            #expect(response.json["error"]?["details"]?[0]?["path"] == "/version")
            #expect(try await api.get("/api/v1/namespaces/keep/plugins/config-echo").json == created)
        }
    }

    @Test func patchOrDeleteOfAMissingInstallIs404() async throws {
        try await withServer { _, api in
            try await api.createNamespace("empty")
            let patch = try await api.patch("/api/v1/namespaces/empty/plugins/config-echo", ["enabled": false])
            #expect(patch.status == 404)
            #expect(patch.errorMessage == "plugin config-echo is not installed in namespace empty")
            #expect(try await api.delete("/api/v1/namespaces/empty/plugins/config-echo").status == 404)
            #expect(try await api.get("/api/v1/namespaces/empty/plugins/config-echo/status").status == 404)
        }
    }

    @Test func deleteIs204AndRemovesTheInstall() async throws {
        try await withServer { _, api in
            try await api.createNamespace("remove")
            try await api.install("config-echo", in: "remove")
            let response = try await api.delete("/api/v1/namespaces/remove/plugins/config-echo")
            #expect(response.status == 204)
            #expect(try await api.get("/api/v1/namespaces/remove/plugins").json == [])
            let query = try await api.post("/api/v1/namespaces/remove/query", ["query": "x"])
            #expect(query.json["results"] == [])
            // It can be installed again.
            #expect(try await api.post("/api/v1/namespaces/remove/plugins/config-echo", [:]).status == 201)
        }
    }

    @Test func statusCountsTheCallsOfTheInstall() async throws {
        try await withServer { _, api in
            try await api.createNamespace("stats")
            try await api.install("config-echo", in: "stats")
            for _ in 0..<3 {
                #expect(try await api.post("/api/v1/namespaces/stats/query", ["query": "x"]).status == 200)
            }
            let response = try await api.get("/api/v1/namespaces/stats/plugins/config-echo/status")
            #expect(response.status == 200)
            #expect(response.json["pluginId"] == "config-echo")
            #expect(response.json["enabled"] == true)
            #expect(response.json["loaded"] == true)
            // One create, then three agent_query calls.
            #expect(response.json["calls"] == 4)
            #expect(response.json["failures"] == 0)
            #expect(response.json["timeouts"] == 0)
            #expect(response.json["lastError"] == .null)
            #expect(response.json["lastErrorAt"] == .null)
        }
    }
}
