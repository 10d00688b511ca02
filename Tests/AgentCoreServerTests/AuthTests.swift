import AgentCoreJSON
import Foundation
import Testing

/// Every /api route needs a valid HS256 bearer token; each kind of bad token gets 401 in the JSON error form.
@Suite("Authentication")
struct AuthTests {
    @Test func healthzAnswersWithoutAToken() async throws {
        try await withServer { _, api in
            let response = try await api.get("/healthz", token: nil)
            #expect(response.status == 200)
            #expect(response.json == ["status": "ok"])
        }
    }

    @Test func everyKindOfBadTokenIsRefusedWith401() async throws {
        let expiredClaims = TestToken.validClaims(expiresIn: -60)
        var withoutExp = TestToken.validClaims().objectValue!
        withoutExp.removeValue(forKey: "exp")
        var withoutSub = TestToken.validClaims().objectValue!
        withoutSub.removeValue(forKey: "sub")
        let valid = TestToken.admin
        let cases: [(name: String, header: String?)] = [
            ("missing", nil),
            ("not bearer", "Basic dXNlcjpwYXNz"),
            ("malformed", "Bearer not-a-jwt"),
            ("garbage parts", "Bearer a.b.c"),
            ("expired", "Bearer " + TestToken.signed(claims: expiredClaims)),
            ("wrong signature", "Bearer " + TestToken.signed(claims: TestToken.validClaims(), secret: "another-secret-0123456789abcdef-0123456789")),
            ("tampered claims", "Bearer " + Self.tamper(valid)),
            ("alg none", "Bearer " + TestToken.unsigned(claims: TestToken.validClaims())),
            ("alg none, HS256 signature kept", "Bearer " + TestToken.signed(header: ["alg": "none", "typ": "JWT"], claims: TestToken.validClaims())),
            ("alg HS384", "Bearer " + TestToken.signed(header: ["alg": "HS384", "typ": "JWT"], claims: TestToken.validClaims())),
            ("no exp", "Bearer " + TestToken.signed(claims: .object(withoutExp))),
            ("no sub", "Bearer " + TestToken.signed(claims: .object(withoutSub))),
        ]
        try await withServer { _, api in
            for (name, header) in cases {
                let response = try await api.send(.GET, "/api/v1/namespaces", token: nil, headers: header.map { [("authorization", $0)] } ?? [])
                #expect(response.status == 401, "\(name): \(response.text)")
                #expect(response.errorCode == "unauthorized", "\(name)")
                #expect(response.json["error"]?["details"] == [], "\(name)")
                #expect(response.headers.first(name: "www-authenticate") == "Bearer", "\(name)")
            }
            let accepted = try await api.get("/api/v1/namespaces", token: valid)
            #expect(accepted.status == 200)
        }
    }

    @Test func unauthorizedMessagesNameTheProblem() async throws {
        try await withServer { _, api in
            let expired = try await api.get("/api/v1/namespaces", token: TestToken.signed(claims: TestToken.validClaims(expiresIn: -60)))
            #expect(expired.errorMessage == "token expired")
            let none = try await api.get("/api/v1/namespaces", token: TestToken.unsigned(claims: TestToken.validClaims()))
            #expect(none.errorMessage == "unsupported token algorithm none: only HS256 is accepted")
            let forged = try await api.get("/api/v1/namespaces", token: TestToken.signed(claims: TestToken.validClaims(), secret: "another-secret-0123456789abcdef-0123456789"))
            #expect(forged.errorMessage == "invalid token signature")
        }
    }

    @Test func anAcceptedTokenIsRefusedOnceItExpires() async throws {
        try await withServer { _, api in
            // exp is whole seconds: between 1 and 2 s from now.
            let shortLived = TestToken.signed(claims: TestToken.validClaims(expiresIn: 2))
            #expect(try await api.get("/api/v1/namespaces", token: shortLived).status == 200)
            try await Task.sleep(for: .milliseconds(2_200))
            let expired = try await api.get("/api/v1/namespaces", token: shortLived)
            #expect(expired.status == 401)
            #expect(expired.errorMessage == "token expired")
        }
    }

    @Test func namespaceCreationNeedsCanManageNamespaces() async throws {
        try await withServer { _, api in
            let pluginsOnly = TestToken.make(permissions: ["canManagePlugins"])
            let response = try await api.post("/api/v1/namespaces", ["id": "x", "name": "X", "departmentId": "d1"], token: pluginsOnly)
            #expect(response.status == 403)
            #expect(response.errorCode == "forbidden")
            let listed = try await api.get("/api/v1/namespaces")
            #expect(listed.json == [])
        }
    }

    @Test func namespaceDeletionNeedsCanManageNamespaces() async throws {
        try await withServer { _, api in
            try await api.createNamespace("keep")
            let response = try await api.delete("/api/v1/namespaces/keep", token: TestToken.make(permissions: ["canManagePlugins"]))
            #expect(response.status == 403)
            #expect(try await api.get("/api/v1/namespaces/keep").status == 200)
        }
    }

    @Test func pluginManagementNeedsAPermission() async throws {
        try await withServer { _, api in
            try await api.createNamespace("perm")
            let reader = TestToken.make(permissions: [])
            let install = try await api.post("/api/v1/namespaces/perm/plugins/config-echo", ["config": [:]], token: reader)
            #expect(install.status == 403)
            #expect(try await api.get("/api/v1/namespaces/perm/plugins").json == [])

            // Either permission is enough.
            let namespacesOnly = TestToken.make(permissions: ["canManageNamespaces"])
            let allowed = try await api.post("/api/v1/namespaces/perm/plugins/config-echo", ["config": [:]], token: namespacesOnly)
            #expect(allowed.status == 201, "\(allowed.text)")
            let patch = try await api.patch("/api/v1/namespaces/perm/plugins/config-echo", ["enabled": false], token: reader)
            #expect(patch.status == 403)
            let delete = try await api.delete("/api/v1/namespaces/perm/plugins/config-echo", token: reader)
            #expect(delete.status == 403)
        }
    }

    @Test func anyAuthenticatedCallerMayListPluginsAndRunHostFlows() async throws {
        try await withServer { _, api in
            try await api.createNamespace("flows")
            let reader = TestToken.make(permissions: [])
            #expect(try await api.get("/api/v1/plugins", token: reader).status == 200)
            #expect(try await api.post("/api/v1/namespaces/flows/query", ["query": "hi"], token: reader).status == 200)
            #expect(try await api.post("/api/v1/namespaces/flows/approvals", ["title": "t"], token: reader).status == 201)
        }
    }

    /// Flips one character of the claims part, keeping the signature.
    private static func tamper(_ token: String) -> String {
        var parts = token.split(separator: ".").map(String.init)
        let claims = TestToken.validClaims().objectValue!.merging(["sub": "mallory"]) { $1 }
        parts[1] = TestToken.base64URL(JSONValue.object(claims).serializedBytes())
        return parts.joined(separator: ".")
    }
}
