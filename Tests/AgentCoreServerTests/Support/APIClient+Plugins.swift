import AgentCoreJSON
import Foundation

extension APIClient {
    /// `POST /api/v1/namespaces/<namespace>/query` with `text`.
    func query(_ namespace: String, _ text: String) async throws -> APIResponse {
        try await post("/api/v1/namespaces/\(namespace)/query", ["query": .string(text)])
    }

    /// Polls `GET /api/v1/plugins` until `condition` holds for its entries, and returns them.
    /// - Throws: `CatalogWaitError` with the last listing when `timeout` passes first.
    @discardableResult
    func waitForCatalog(
        timeout: Duration = .seconds(15), _ what: String, until condition: ([JSONValue]) -> Bool
    ) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let entries = try await get("/api/v1/plugins").json.arrayValue ?? []
            if condition(entries) { return entries }
            guard ContinuousClock.now < deadline else {
                throw CatalogWaitError(message: "GET /api/v1/plugins did not show \(what) within \(timeout): \(JSONValue.array(entries))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

extension APIResponse {
    /// The `/query` result of `pluginId`, or nil when the response has none.
    func result(of pluginId: String) -> JSONValue? {
        json["results"]?.arrayValue?.first { $0["pluginId"]?.stringValue == pluginId }
    }

    /// The plugin ids of the `/query` results, in order.
    var resultPluginIds: [String] {
        json["results"]?.arrayValue?.compactMap { $0["pluginId"]?.stringValue } ?? []
    }
}

extension [JSONValue] {
    /// The catalog entry of the loaded plugin `id`.
    func plugin(_ id: String) -> JSONValue? {
        first { $0["id"]?.stringValue == id }
    }

    /// The catalog entry of the failed file `fileName`.
    func failedFile(_ fileName: String) -> JSONValue? {
        first { $0["file"]?.stringValue == fileName }
    }
}

struct CatalogWaitError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
