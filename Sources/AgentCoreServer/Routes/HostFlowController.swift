import AgentCoreJSON
import AgentCoreStore
import Foundation
import Hummingbird
import JSONSchema
import PluginRuntime

/// The flows agents and apps use: query enrichment, approvals, documents and tools.
struct HostFlowController {
    let store: any DataStore
    let runtime: PluginRuntime
    let deliveries: DeliveryWorker

    private var access: NamespaceAccess { NamespaceAccess(store: store) }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("namespaces/:id/query", use: query)
        group.post("namespaces/:id/approvals", use: createApproval)
        group.post("namespaces/:id/documents", use: createDocument)
        group.get("namespaces/:id/tools", use: listTools)
        group.post("namespaces/:id/tools/:pluginId/:tool", use: invokeTool)
    }

    /// POST `{query}` -> `{query, results: [{pluginId, status, data | error, durationMs}]}`.
    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["query"])
        let text = try body.text("query")
        let results: [PluginCallResult]
        do {
            results = try await runtime.query(namespaceId: namespace.id, query: text)
        } catch {
            throw Self.apiError(error, namespaceId: namespace.id)
        }
        return JSONResponse.make(body: .object([
            "query": .string(text),
            "results": .array(results.map(\.json)),
        ]))
    }

    /// POST `{title, payload?}` -> 201 `{id, title, payload, createdAt}`, with one approval.created delivery per subscriber in the outbox.
    @Sendable func createApproval(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["title", "payload"])
        let title = try body.string("title", maxLength: 500)
        let payload = body.value("payload") ?? .null
        let approval = ApprovalRecord(
            id: Self.newId(),
            namespaceId: namespace.id,
            title: title,
            payloadJSON: payload.serialized(),
            createdAt: Timestamp.now()
        )
        let outbox = try await deliveries(
            of: .approvalCreated,
            namespaceId: namespace.id,
            data: ["approvalId": .string(approval.id), "title": .string(title), "payload": payload],
            occurredAt: approval.createdAt
        )
        try await insert { () async throws(StoreError) in try await store.insertApproval(approval, deliveries: outbox) }
        deliveries.wakeUp()
        context.logger.info("approval created", metadata: ["namespace.id": .string(namespace.id), "approval.id": .string(approval.id)])
        return JSONResponse.make(status: .created, body: .object([
            "id": .string(approval.id),
            "title": .string(title),
            "payload": payload,
            "createdAt": .string(Timestamp.format(approval.createdAt)),
        ]))
    }

    /// POST `{name, content}` -> 201 `{id, name, status, size, createdAt}`, with one document.ready delivery per subscriber in the outbox.
    @Sendable func createDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["name", "content"])
        let name = try body.string("name", maxLength: 500)
        let content = Data(try body.text("content").utf8)
        let document = DocumentRecord(
            id: Self.newId(),
            namespaceId: namespace.id,
            name: name,
            content: content,
            size: content.count,
            status: "ready",
            createdAt: Timestamp.now()
        )
        let outbox = try await deliveries(
            of: .documentReady,
            namespaceId: namespace.id,
            data: ["documentId": .string(document.id), "name": .string(name), "size": .number(JSONNumber(document.size))],
            occurredAt: document.createdAt
        )
        try await insert { () async throws(StoreError) in try await store.insertDocument(document, deliveries: outbox) }
        deliveries.wakeUp()
        context.logger.info("document ready", metadata: ["namespace.id": .string(namespace.id), "document.id": .string(document.id)])
        return JSONResponse.make(status: .created, body: .object([
            "id": .string(document.id),
            "name": .string(name),
            "status": .string(document.status),
            "size": .number(JSONNumber(document.size)),
            "createdAt": .string(Timestamp.format(document.createdAt)),
        ]))
    }

    /// GET -> `[{pluginId, name, description, inputSchema}]` of the namespace's enabled tools plugins.
    @Sendable func listTools(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let tools: [(pluginId: String, tool: ToolDefinition)]
        do {
            tools = try await runtime.tools(namespaceId: namespace.id)
        } catch {
            throw Self.apiError(error, namespaceId: namespace.id)
        }
        return JSONResponse.make(body: .array(tools.map { entry in
            .object([
                "pluginId": .string(entry.pluginId),
                "name": .string(entry.tool.name),
                "description": .string(entry.tool.description),
                "inputSchema": entry.tool.inputSchema,
            ])
        }))
    }

    /// POST `{input}` -> `{pluginId, tool, output}`; the input is validated against the tool's schema first (422 with paths).
    @Sendable func invokeTool(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        let toolName = try context.identifier("tool", as: "tool name")
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["input"])
        let input = body.value("input") ?? .object([:])
        let output: JSONValue
        do {
            output = try await runtime.invokeTool(namespaceId: namespace.id, pluginId: pluginId, tool: toolName, input: input)
        } catch {
            switch error {
            case .namespaceNotFound:
                throw APIError.namespaceNotFound(namespace.id)
            case .pluginNotEnabled:
                throw APIError.notFound("plugin \(pluginId) is not enabled in namespace \(namespace.id)")
            case .toolNotFound:
                throw APIError.notFound("plugin \(pluginId) has no tool \(toolName)")
            case .invalidInput(let errors):
                throw APIError.validationFailed(
                    "the input does not match the schema of tool \(toolName) (\(errors.count) error\(errors.count == 1 ? "" : "s"))",
                    errors: errors.map { (path: $0.instancePath.description, message: $0.message) }
                )
            case .failed(let result) where result.status == .timeout:
                throw APIError(status: .gatewayTimeout, code: "plugin_timeout", message: result.error ?? "tool \(toolName) timed out", details: [result.json])
            case .failed(let result):
                throw APIError(status: .badGateway, code: "plugin_error", message: result.error ?? "tool \(toolName) failed", details: [result.json])
            case .unavailable(let dispatchError):
                throw Self.apiError(dispatchError, namespaceId: namespace.id)
            }
        }
        return JSONResponse.make(body: .object([
            "pluginId": .string(pluginId),
            "tool": .string(toolName),
            "output": output,
        ]))
    }

    // MARK: Helpers

    /// One outbox delivery per subscribed install, written with the record in one transaction.
    private func deliveries(
        of kind: PluginEventKind, namespaceId: String, data: JSONValue, occurredAt: Date
    ) async throws(APIError) -> [EventDeliveryRecord] {
        let subscribers: [String]
        do {
            subscribers = try await runtime.subscribers(of: kind, namespaceId: namespaceId)
        } catch {
            throw Self.apiError(error, namespaceId: namespaceId)
        }
        let payload = data.serialized()
        return subscribers.map { pluginId in
            EventDeliveryRecord(
                id: Self.newId(), namespaceId: namespaceId, pluginId: pluginId, event: kind.rawValue,
                payloadJSON: payload, occurredAt: occurredAt, nextAttemptAt: occurredAt,
                createdAt: occurredAt, updatedAt: occurredAt
            )
        }
    }

    private func insert(_ body: () async throws(StoreError) -> Void) async throws(APIError) {
        do {
            try await body()
        } catch let error where error.isNotFound {
            throw .notFound(error.message)
        } catch {
            throw .internalError(error.message)
        }
    }

    private static func apiError(_ error: DispatchError, namespaceId: String) -> APIError {
        if error.missingNamespaceId != nil { return .namespaceNotFound(namespaceId) }
        return .unavailable(error.description)
    }

    private static func newId() -> String {
        UUID().uuidString.lowercased()
    }
}
