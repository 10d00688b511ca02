import AgentCoreJSON
import Crypto
import Foundation
import Testing

/// /query, approvals, documents and tools, with the built-in plugins.
@Suite("Host flows")
struct HostFlowTests {
    @Test func queryFansOutToTheEnabledQueryPlugins() async throws {
        try await withServer { _, api in
            try await api.createNamespace("q")
            try await api.install("config-echo", in: "q", config: ["version": 7])
            let response = try await api.post("/api/v1/namespaces/q/query", ["query": "hello"])
            #expect(response.status == 200)
            #expect(response.json["query"] == "hello")
            let result = try #require(response.json["results"]?[0])
            #expect(response.json["results"]?.arrayValue?.count == 1)
            #expect(result["pluginId"] == "config-echo")
            #expect(result["status"] == "ok")
            #expect(result["data"] == ["config": ["version": 7, "label": "plain"]])
            #expect(result["durationMs"]?.doubleValue.map { $0 >= 0 } == true)
        }
    }

    @Test func disabledInstallsAreNotQueried() async throws {
        try await withServer { _, api in
            try await api.createNamespace("off")
            try await api.install("config-echo", in: "off", enabled: false)
            let response = try await api.post("/api/v1/namespaces/off/query", ["query": "hello"])
            #expect(response.json["results"] == [])
        }
    }

    @Test func queryNeedsAStringQuery() async throws {
        try await withServer { _, api in
            try await api.createNamespace("qq")
            #expect(try await api.post("/api/v1/namespaces/qq/query", [:]).status == 400)
            #expect(try await api.post("/api/v1/namespaces/qq/query", ["query": 1]).status == 400)
            #expect(try await api.post("/api/v1/namespaces/nowhere/query", ["query": "x"]).status == 404)
        }
    }

    @Test func opendatabotAnswersAnEDRPOUCodeThroughQuery() async throws {
        try await withServer { _, api in
            try await api.createNamespace("odb")
            try await api.install("opendatabot", in: "odb")
            let response = try await api.post("/api/v1/namespaces/odb/query", ["query": "Хто такі 14360570 і 32855968?"])
            #expect(response.status == 200)
            let result = try #require(response.json["results"]?.arrayValue?.first { $0["pluginId"] == "opendatabot" })
            #expect(result["status"] == "ok")
            let companies = try #require(result["data"]?["companies"]?.arrayValue)
            #expect(companies.count == 2)
            #expect(companies[0]["code"] == "14360570")
            #expect(companies[0]["valid"] == true)
            #expect(companies[0]["name"]?.stringValue?.isEmpty == false)
            #expect(companies[1] == ["code": "32855968", "valid": false, "error": "checksum mismatch"])
            // Deterministic per code.
            let again = try await api.post("/api/v1/namespaces/odb/query", ["query": "14360570"])
            #expect(again.json["results"]?[0]?["data"]?["companies"]?[0] == companies[0])
        }
    }

    @Test func approvalIs201AndReachesTheWebhookSignedWithTheSecret() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { try? await receiver.stop() } }
        let secret = "whook-secret-for-approvals"
        try await withServer { _, api in
            try await api.createNamespace("ap", department: "finance")
            try await api.install("webhooks", in: "ap", config: ["url": .string(receiver.url), "secret": .string(secret)])
            let response = try await api.post("/api/v1/namespaces/ap/approvals", ["title": "Pay invoice 42", "payload": ["amount": 1250.5, "currency": "UAH"]])
            #expect(response.status == 201)
            let id = try #require(response.json["id"]?.stringValue)
            #expect(response.json["title"] == "Pay invoice 42")
            #expect(response.json["payload"] == ["amount": 1250.5, "currency": "UAH"])
            #expect(response.json["createdAt"]?.stringValue != nil)

            let requests = try await receiver.waitForRequests(1)
            try #require(requests.count == 1)
            let delivery = requests[0]
            #expect(delivery.method == "POST")
            #expect(delivery.uri == "/hook")
            #expect(delivery.header("x-agentcore-event") == "approval.created")
            #expect(delivery.header("x-agentcore-delivery")?.isEmpty == false)
            let expectedSignature = "sha256=" + HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Array(secret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
            #expect(delivery.header("x-agentcore-signature") == expectedSignature)
            let body = try JSONValue(parsing: delivery.body)
            #expect(body["event"] == "approval.created")
            #expect(body["namespaceId"] == "ap")
            #expect(body["departmentId"] == "finance")
            #expect(body["data"] == ["approvalId": .string(id), "title": "Pay invoice 42", "payload": ["amount": 1250.5, "currency": "UAH"]])
        }
    }

    @Test func documentIs201AndReachesTheWebhook() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { try? await receiver.stop() } }
        try await withServer { _, api in
            try await api.createNamespace("docs")
            try await api.install("webhooks", in: "docs", config: ["url": .string(receiver.url), "events": ["document.ready"]])
            // Subscribed to documents only: this approval must not be delivered.
            try await api.post("/api/v1/namespaces/docs/approvals", ["title": "ignored"]).expectStatus(201)
            let response = try await api.post("/api/v1/namespaces/docs/documents", ["name": "contract.txt", "content": "Договір №1"])
            #expect(response.status == 201)
            let id = try #require(response.json["id"]?.stringValue)
            #expect(response.json["name"] == "contract.txt")
            #expect(response.json["status"] == "ready")
            #expect(response.json["size"] == .number(JSONNumber(Array("Договір №1".utf8).count)))

            let requests = try await receiver.waitForRequests(1)
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.received.count == 1)
            let delivery = try #require(requests.first)
            #expect(delivery.header("x-agentcore-event") == "document.ready")
            #expect(delivery.header("x-agentcore-signature") == nil)
            let body = try JSONValue(parsing: delivery.body)
            #expect(body["data"] == ["documentId": .string(id), "name": "contract.txt", "size": .number(JSONNumber(Array("Договір №1".utf8).count))])
        }
    }

    @Test func approvalAndDocumentBodiesAreChecked() async throws {
        try await withServer { _, api in
            try await api.createNamespace("bodies")
            #expect(try await api.post("/api/v1/namespaces/bodies/approvals", ["payload": 1]).status == 400)
            #expect(try await api.post("/api/v1/namespaces/bodies/approvals", ["title": "t", "extra": 1]).errorCode == "unknown_fields")
            #expect(try await api.post("/api/v1/namespaces/bodies/documents", ["name": "n"]).status == 400)
            #expect(try await api.post("/api/v1/namespaces/bodies/documents", ["name": "n", "content": 5]).status == 400)
            let empty = try await api.post("/api/v1/namespaces/bodies/documents", ["name": "empty.txt", "content": ""])
            #expect(empty.status == 201)
            #expect(empty.json["size"] == 0)
        }
    }

    @Test func toolsListsTheEnabledToolsPlugins() async throws {
        try await withServer { _, api in
            try await api.createNamespace("tools")
            #expect(try await api.get("/api/v1/namespaces/tools/tools").json == [])
            try await api.install("opendatabot", in: "tools")
            let response = try await api.get("/api/v1/namespaces/tools/tools")
            #expect(response.status == 200)
            let tools = try #require(response.json.arrayValue)
            let lookup = try #require(tools.first { $0["name"] == "lookup_company" })
            #expect(lookup["pluginId"] == "opendatabot")
            #expect(lookup["description"]?.stringValue?.isEmpty == false)
            #expect(lookup["inputSchema"]?["type"] == "object")
        }
    }

    @Test func invokingAToolReturnsItsOutput() async throws {
        try await withServer { _, api in
            try await api.createNamespace("invoke")
            try await api.install("opendatabot", in: "invoke")
            let response = try await api.post("/api/v1/namespaces/invoke/tools/opendatabot/lookup_company", ["input": ["code": "14360570"]])
            #expect(response.status == 200)
            #expect(response.json["pluginId"] == "opendatabot")
            #expect(response.json["tool"] == "lookup_company")
            #expect(response.json["output"]?["code"] == "14360570")
            #expect(response.json["output"]?["valid"] == true)
        }
    }

    @Test func invalidToolInputIs422WithPaths() async throws {
        try await withServer { _, api in
            try await api.createNamespace("badtool")
            try await api.install("opendatabot", in: "badtool")
            let response = try await api.post("/api/v1/namespaces/badtool/tools/opendatabot/lookup_company", ["input": ["code": 14360570]])
            #expect(response.status == 422)
            #expect(response.errorCode == "validation_failed")
            #expect(response.json["error"]?["details"]?[0]?["path"] == "/code")
        }
    }

    @Test func unknownToolOrPluginNotEnabledIs404() async throws {
        try await withServer { _, api in
            try await api.createNamespace("notool")
            let notEnabled = try await api.post("/api/v1/namespaces/notool/tools/opendatabot/lookup_company", ["input": ["code": "14360570"]])
            #expect(notEnabled.status == 404)
            #expect(notEnabled.errorMessage == "plugin opendatabot is not enabled in namespace notool")
            try await api.install("opendatabot", in: "notool")
            let unknown = try await api.post("/api/v1/namespaces/notool/tools/opendatabot/no_such_tool", ["input": [:]])
            #expect(unknown.status == 404)
            #expect(unknown.errorMessage == "plugin opendatabot has no tool no_such_tool")
        }
    }
}
