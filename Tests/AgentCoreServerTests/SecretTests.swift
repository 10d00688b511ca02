import AgentCoreJSON
import Foundation
import Testing

/// writeOnly config fields: masked in responses, kept on PATCH, encrypted at rest, never logged.
@Suite("Secrets")
struct SecretTests {
    static let token = "tok-SECRET-4f1c2a7e9b"
    static let password = "pw-SECRET-77d0c3e1aa"

    @Test func writeOnlyFieldsAreMaskedInEveryResponse() async throws {
        try await withServer { _, api in
            try await api.createNamespace("mask")
            let created = try await api.post(
                "/api/v1/namespaces/mask/plugins/config-echo",
                ["config": ["token": .string(Self.token), "nested": ["user": "u", "password": .string(Self.password)]]]
            )
            #expect(created.status == 201)
            let expected: JSONValue = ["version": 0, "label": "plain", "token": "********", "nested": ["user": "u", "password": "********"]]
            #expect(created.json["config"] == expected)
            #expect(try await api.get("/api/v1/namespaces/mask/plugins").json[0]?["config"] == expected)
            #expect(try await api.get("/api/v1/namespaces/mask/plugins/config-echo").json["config"] == expected)
            let patched = try await api.patch("/api/v1/namespaces/mask/plugins/config-echo", ["enabled": false])
            #expect(patched.json["config"] == expected)
            for response in [created, patched] {
                #expect(!response.text.contains(Self.token))
                #expect(!response.text.contains(Self.password))
            }
        }
    }

    @Test func pluginReceivesTheSecretsInClear() async throws {
        try await withServer { _, api in
            try await api.createNamespace("clear")
            try await api.install("config-echo", in: "clear", config: ["token": .string(Self.token), "nested": ["password": .string(Self.password)]])
            let response = try await api.post("/api/v1/namespaces/clear/query", ["query": "x"])
            let config = response.json["results"]?[0]?["data"]?["config"]
            #expect(config == ["version": 0, "label": "plain", "token": .string(Self.token), "nested": ["password": .string(Self.password)]])
        }
    }

    @Test func patchKeepsASecretThatIsOmittedOrSentMasked() async throws {
        try await withServer { _, api in
            try await api.createNamespace("keep")
            try await api.install("config-echo", in: "keep", config: ["token": .string(Self.token), "nested": ["password": .string(Self.password)]])

            let omitted = try await api.patch("/api/v1/namespaces/keep/plugins/config-echo", ["config": ["version": 2, "nested": [:]]])
            #expect(omitted.status == 200)
            #expect(omitted.json["config"]?["token"] == "********")
            #expect(omitted.json["config"]?["nested"]?["password"] == "********")

            let masked = try await api.patch(
                "/api/v1/namespaces/keep/plugins/config-echo",
                ["config": ["version": 3, "token": "********", "nested": ["password": "********"]]]
            )
            #expect(masked.status == 200)

            let query = try await api.post("/api/v1/namespaces/keep/query", ["query": "x"])
            #expect(query.json["results"]?[0]?["data"]?["config"] == [
                "version": 3, "label": "plain", "token": .string(Self.token), "nested": ["password": .string(Self.password)],
            ])
        }
    }

    @Test func patchWithANewSecretReplacesIt() async throws {
        try await withServer { _, api in
            try await api.createNamespace("rotate")
            try await api.install("config-echo", in: "rotate", config: ["token": .string(Self.token)])
            let patched = try await api.patch("/api/v1/namespaces/rotate/plugins/config-echo", ["config": ["token": "rotated-token-123"]])
            #expect(patched.status == 200)
            let query = try await api.post("/api/v1/namespaces/rotate/query", ["query": "x"])
            #expect(query.json["results"]?[0]?["data"]?["config"]?["token"] == "rotated-token-123")
        }
    }

    @Test func noSecretAppearsInTheLogsOrInTheDatabaseFiles() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        try await withServer(dataDirectory: dataDirectory, environment: ["LOG_LEVEL": "trace"]) { server, api in
            try await api.createNamespace("hidden")
            try await api.install("config-echo", in: "hidden", config: ["token": .string(Self.token), "nested": ["password": .string(Self.password)]])
            try await api.patch("/api/v1/namespaces/hidden/plugins/config-echo", ["config": ["version": 1]]).expectStatus(200)
            try await api.post("/api/v1/namespaces/hidden/query", ["query": "x"]).expectStatus(200)
            let receiver = try await WebhookReceiver.start()
            defer { Task { try? await receiver.stop() } }
            try await api.install("webhooks", in: "hidden", config: ["url": .string(receiver.url), "secret": .string(Self.password)])
            try await api.post("/api/v1/namespaces/hidden/approvals", ["title": "t"]).expectStatus(201)
            _ = try await receiver.waitForRequests(1)

            // While running: the WAL holds the latest writes.
            try Self.expectNoSecret(in: dataDirectory)
            try await server.stop()
            try Self.expectNoSecret(in: dataDirectory)
            #expect(server.output.contains("plugin installed"))
            #expect(!server.output.contains(Self.token))
            #expect(!server.output.contains(Self.password))
        }
    }

    @Test func theMasterKeyFileIsCreatedWithMode0600() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        try await withServer(dataDirectory: dataDirectory) { _, _ in
            let attributes = try FileManager.default.attributesOfItem(atPath: dataDirectory.appendingPathComponent("master.key").path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test func aMasterKeyFromTheEnvironmentIsUsedInsteadOfAFile() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        try await withServer(dataDirectory: dataDirectory, environment: ["AGENTCORE_MASTER_KEY": key]) { _, api in
            try await api.createNamespace("envkey")
            try await api.install("config-echo", in: "envkey", config: ["token": .string(Self.token)])
            #expect(!FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("master.key").path))
        }
        // A restart with the same key opens the secrets.
        try await withServer(dataDirectory: dataDirectory, environment: ["AGENTCORE_MASTER_KEY": key]) { _, api in
            let query = try await api.post("/api/v1/namespaces/envkey/query", ["query": "x"])
            #expect(query.json["results"]?[0]?["data"]?["config"]?["token"] == .string(Self.token))
        }
    }

    private static func expectNoSecret(in dataDirectory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path).filter { $0.hasPrefix("agentcore.sqlite") }
        #expect(files.contains("agentcore.sqlite"))
        for file in files {
            let bytes = try Data(contentsOf: dataDirectory.appendingPathComponent(file))
            for secret in [token, password] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) in clear in \(file)")
            }
        }
    }
}

extension APIResponse {
    /// Fails the test unless the status is `expected`.
    @discardableResult
    func expectStatus(_ expected: Int, sourceLocation: SourceLocation = #_sourceLocation) -> APIResponse {
        #expect(status == expected, "\(text)", sourceLocation: sourceLocation)
        return self
    }
}
