import AgentCoreServer
import AgentCoreStore
import Foundation
import Logging
import PluginRuntime
import Testing

/// docs/openapi.yaml stays true: the router and the document list the same routes, and the server serves it.
@Suite("OpenAPI document")
struct OpenAPITests {
    static let documentURL = TestPaths.repositoryRoot.appendingPathComponent("docs/openapi.yaml")

    @Test func everyRouteOfTheRouterIsInTheDocumentAndTheReverse() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        let logger = Logger(label: "openapi-test")
        let store = try SQLiteDataStore(
            dataDirectory: dataDirectory.path,
            masterKey: MasterKey(key: .init(size: .bits256)),
            logger: logger
        )
        defer { try? store.close() }
        let runtime = PluginRuntime(
            configuration: PluginRuntimeConfiguration(builtinDirectory: dataDirectory.path, pluginDirectories: []),
            installSource: NoInstalls(),
            keyValueStore: InMemoryKeyValueStore(),
            logger: logger
        )
        let router = buildRouter(RouterDependencies(
            store: store,
            runtime: runtime,
            authenticator: await JWTAuthenticator(secret: Array(TestToken.secret.utf8)),
            deliveries: DeliveryWorker(store: store, runtime: runtime, configuration: DeliveryConfiguration(), logger: logger),
            openAPIDocument: nil
        ))
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let documented = try Self.documentedOperations(in: String(contentsOf: Self.documentURL, encoding: .utf8))

        #expect(routed.count >= 18)
        #expect(routed.subtracting(documented).sorted() == [], "routes missing from docs/openapi.yaml")
        #expect(documented.subtracting(routed).sorted() == [], "documented operations the router does not have")
    }

    @Test func theServerServesTheDocumentWithoutAuth() async throws {
        try await withServer { _, api in
            let response = try await api.get("/openapi.yaml", token: nil)
            #expect(response.status == 200)
            #expect(response.headers.first(name: "content-type") == "application/yaml; charset=utf-8")
            #expect(response.text == (try String(contentsOf: Self.documentURL, encoding: .utf8)))
        }
    }

    /// "METHOD /path" for every operation under `paths:`. The document keeps one layout,
    /// which this reads without a YAML library: a path is a 2-space-indented key starting
    /// with "/", an operation a 4-space-indented HTTP method key.
    static func documentedOperations(in yaml: String) throws -> Set<String> {
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
                      let path = currentPath, methods.contains(String(line.dropFirst(4).dropLast())) {
                operations.insert("\(line.dropFirst(4).dropLast().uppercased()) \(path)")
            }
        }
        return operations
    }
}

/// An install source with no namespaces: the router test never calls a plugin.
private struct NoInstalls: PluginInstallSource {
    func installs(namespaceId: String) async throws -> NamespaceInstalls? { nil }
}
