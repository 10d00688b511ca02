import AgentCoreJSON
import Foundation
import Testing

/// Starting, stopping and restarting the real binary; `serve --dev` and `token`.
@Suite("Lifecycle")
struct LifecycleTests {
    @Test func restartWithTheSameDataDirectoryKeepsEveryNamespaceAndConfig() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        let (namespaces, installs) = try await withServer(dataDirectory: dataDirectory) { _, api in
            try await api.createNamespace("one", department: "d1")
            try await api.createNamespace("two", department: "d2")
            try await api.install("config-echo", in: "one", config: ["version": 4, "token": "kept-token-1234", "mode": "safe"])
            try await api.install("opendatabot", in: "two", enabled: false)
            try await api.install("webhooks", in: "two", config: ["url": "http://127.0.0.1:9/hook", "secret": "kept-webhook-secret"])
            return (
                try await api.get("/api/v1/namespaces").json,
                [try await api.get("/api/v1/namespaces/one/plugins").json, try await api.get("/api/v1/namespaces/two/plugins").json]
            )
        }
        try await withServer(dataDirectory: dataDirectory) { _, api in
            #expect(try await api.get("/api/v1/namespaces").json == namespaces)
            #expect(try await api.get("/api/v1/namespaces/one/plugins").json == installs[0])
            #expect(try await api.get("/api/v1/namespaces/two/plugins").json == installs[1])
            // The secret survived encrypted and opens with the same master key file.
            let query = try await api.post("/api/v1/namespaces/one/query", ["query": "x"])
            #expect(query.json["results"]?[0]?["data"]?["config"] == ["version": 4, "label": "plain", "token": "kept-token-1234", "mode": "safe"])
        }
    }

    @Test func sigtermStopsTheServerGracefullyWithExitCode0() async throws {
        let server = try await ServerProcess.start()
        defer { TestPaths.remove(server.dataDirectory) }
        let status = try await server.stop()
        #expect(status == 0)
        #expect(server.output.contains("database closed"))
    }

    @Test func serveWithoutASecretRefusesToStartWithExitCode2() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        let result = try await ServerProcess.run(arguments: ["serve", "--port", "0", "--data-dir", dataDirectory.path])
        #expect(result.status == 2)
        #expect(result.output.contains("no JWT secret: set AGENTCORE_JWT_SECRET"))
        #expect(result.output.contains("--dev"))
    }

    @Test func aTooShortSecretIsRefused() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        let result = try await ServerProcess.run(
            arguments: ["serve", "--port", "0", "--data-dir", dataDirectory.path],
            environment: ["AGENTCORE_JWT_SECRET": "short"]
        )
        #expect(result.status == 2)
        #expect(result.output.contains("too short"))
    }

    @Test func devModeGeneratesASecretFileAndPrintsAWorkingAdminToken() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        let plugins = try await FixturePlugins.shared.pluginsDirectory()
        await ServerSlots.shared.acquire()
        defer { Task { await ServerSlots.shared.release() } }
        // No AGENTCORE_JWT_SECRET: --dev must provide one.
        let server = try await ServerProcess.start(
            dataDirectory: dataDirectory, pluginsDirectory: plugins, extraArguments: ["--dev"], jwtSecret: nil
        )
        defer { Task { try? await server.stop() } }
        let secretPath = dataDirectory.appendingPathComponent("jwt-secret").path
        let attributes = try FileManager.default.attributesOfItem(atPath: secretPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let token = try #require(Self.line(after: "dev admin token", in: server.output))
        let api = APIClient(baseURL: server.baseURL)
        #expect(try await api.post("/api/v1/namespaces", ["id": "dev", "name": "Dev", "departmentId": "any"], token: token).status == 201)

        // `agentcore token` finds the same development secret through --data-dir.
        let minted = try await ServerProcess.run(arguments: [
            "token", "--sub", "alice", "--permissions", "canManagePlugins", "--departments", "any", "--data-dir", dataDirectory.path,
        ])
        #expect(minted.status == 0)
        let alice = minted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await api.get("/api/v1/namespaces/dev", token: alice).status == 200)
        #expect(try await api.delete("/api/v1/namespaces/dev", token: alice).status == 403)
    }

    @Test func tokenCommandMintsTokensTheServerAccepts() async throws {
        try await withServer { _, api in
            try await api.createNamespace("d1-space", department: "d1")
            try await api.createNamespace("d2-space", department: "d2")
            let minted = try await ServerProcess.run(
                arguments: ["token", "--sub", "bob", "--permissions", "canManagePlugins,canManageNamespaces", "--departments", "d1", "--ttl", "1h"],
                environment: ["AGENTCORE_JWT_SECRET": TestToken.secret]
            )
            #expect(minted.status == 0)
            let token = minted.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let listed = try await api.get("/api/v1/namespaces", token: token)
            #expect(listed.json.arrayValue?.compactMap { $0["id"]?.stringValue } == ["d1-space"])
        }
    }

    @Test func tokenCommandRefusesBadArguments() async throws {
        let environment = ["AGENTCORE_JWT_SECRET": TestToken.secret]
        let both = try await ServerProcess.run(arguments: ["token", "--sub", "x", "--global", "--departments", "d1"], environment: environment)
        #expect(both.status != 0)
        let unknown = try await ServerProcess.run(arguments: ["token", "--sub", "x", "--global", "--permissions", "canFly"], environment: environment)
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("unknown permission canFly"))
        let empty = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(empty) }
        let noSecret = try await ServerProcess.run(arguments: ["token", "--sub", "x", "--global", "--data-dir", empty.path])
        #expect(noSecret.status == 2)
    }

    @Test func everyResponseCarriesARequestId() async throws {
        try await withServer { server, api in
            let health = try await api.get("/healthz", token: nil)
            let generated = try #require(health.headers.first(name: "x-request-id"))
            // Hummingbird's id: a per-process random UInt64 in hex (not zero-padded, so 1 to 16
            // digits) followed by a zero-padded 16-digit counter.
            #expect((17...32).contains(generated.count), "\(generated)")
            let isHex = generated.allSatisfy { $0.isHexDigit }
            #expect(isHex, "\(generated)")
            let unauthorized = try await api.get("/api/v1/namespaces", token: nil)
            #expect(unauthorized.headers.first(name: "x-request-id") != nil)
            let noRoute = try await api.get("/nope", token: nil)
            #expect(noRoute.status == 404)
            #expect(noRoute.errorCode == "not_found")
            #expect(noRoute.headers.first(name: "x-request-id") != nil)
            let given = try await api.get("/healthz", token: nil, headers: [("x-request-id", "trace-abc-123")])
            #expect(given.headers.first(name: "x-request-id") == "trace-abc-123")
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.output.contains("request.id=trace-abc-123"))
        }
    }

    private static func line(after marker: String, in output: String) -> String? {
        let lines = output.split(separator: "\n").map(String.init)
        guard let index = lines.firstIndex(where: { $0.contains(marker) }), index + 1 < lines.count else { return nil }
        return lines[index + 1].trimmingCharacters(in: .whitespaces)
    }
}
