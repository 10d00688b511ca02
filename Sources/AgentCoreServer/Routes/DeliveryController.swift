import AgentCoreJSON
import AgentCoreStore
import Hummingbird

/// `/api/v1/namespaces/:id/deliveries`: the outbox of a namespace, and redelivery of dead or delivered events.
///
/// Scope and permissions as the install routes: reading needs the namespace in
/// scope; redelivering also needs canManagePlugins (or canManageNamespaces).
struct DeliveryController {
    let store: any DataStore
    let deliveries: DeliveryWorker

    static let defaultLimit = 50
    static let maxLimit = 500

    private var access: NamespaceAccess { NamespaceAccess(store: store) }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("namespaces/:id/deliveries", use: list)
        group.post("namespaces/:id/deliveries/:deliveryId/redeliver", use: redeliver)
    }

    /// GET `?status=&pluginId=&limit=&cursor=` -> `{deliveries: [...], nextCursor}` oldest first.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let query = request.uri.queryParameters
        var status: EventDeliveryRecord.Status?
        if let text = query.get("status") {
            guard let parsed = EventDeliveryRecord.Status(rawValue: text) else {
                let allowed = EventDeliveryRecord.Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("status must be one of \(allowed), not \(text)")
            }
            status = parsed
        }
        let pluginId = try query.get("pluginId").map { text throws(APIError) in try Identifier.validated(text, as: "plugin id") }
        var limit = Self.defaultLimit
        if let text = query.get("limit") {
            guard let parsed = Int(text), (1...Self.maxLimit).contains(parsed) else {
                throw APIError.badRequest("limit must be an integer from 1 to \(Self.maxLimit), not \(text)")
            }
            limit = parsed
        }
        var cursor: Int64?
        if let text = query.get("cursor") {
            guard let parsed = Int64(text), parsed >= 0 else { throw APIError.badRequest("cursor \(text) is not one this API returned") }
            cursor = parsed
        }
        let page: DeliveryPage
        do {
            page = try await store.deliveries(namespaceId: namespace.id, status: status, pluginId: pluginId, limit: limit, after: cursor)
        } catch {
            throw APIError.internalError("cannot read the deliveries of namespace \(namespace.id): \(error.message)")
        }
        return JSONResponse.make(body: .object([
            "deliveries": .array(page.deliveries.map(\.json)),
            "nextCursor": page.nextCursor.map { .string(String($0)) } ?? .null,
        ]))
    }

    /// POST -> 200 the delivery, pending again with attempts reset; 409 unless it was dead or delivered.
    @Sendable func redeliver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.canManagePlugins else {
            throw APIError.forbidden("redelivering needs the canManagePlugins or canManageNamespaces permission")
        }
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let deliveryId = try context.identifier("deliveryId", as: "delivery id")
        let delivery: EventDeliveryRecord?
        do {
            delivery = try await store.redeliver(namespaceId: namespace.id, id: deliveryId, at: Timestamp.now())
        } catch let error where error.isConflict {
            throw APIError.conflict(error.message)
        } catch {
            throw APIError.internalError("cannot redeliver \(deliveryId) in namespace \(namespace.id): \(error.message)")
        }
        guard let delivery else { throw APIError.notFound("delivery \(deliveryId) not found in namespace \(namespace.id)") }
        deliveries.wakeUp()
        context.logger.info("redelivery requested", metadata: ["namespace.id": .string(namespace.id), "delivery.id": .string(deliveryId)])
        return JSONResponse.make(body: delivery.json)
    }
}

extension EventDeliveryRecord {
    /// `{id, pluginId, event, status, attempts, lastError, nextAttemptAt, occurredAt, createdAt, updatedAt, data}`;
    /// `nextAttemptAt` is null unless the delivery is still to be attempted.
    var json: JSONValue {
        let undelivered = status == .pending || status == .failed
        return [
            "id": .string(id),
            "pluginId": .string(pluginId),
            "event": .string(event),
            "status": .string(status.rawValue),
            "attempts": .number(JSONNumber(attempts)),
            "lastError": lastError.map(JSONValue.string) ?? .null,
            "nextAttemptAt": undelivered ? .string(Timestamp.format(nextAttemptAt)) : .null,
            "occurredAt": .string(Timestamp.format(occurredAt)),
            "createdAt": .string(Timestamp.format(createdAt)),
            "updatedAt": .string(Timestamp.format(updatedAt)),
            "data": (try? JSONValue(parsing: payloadJSON)) ?? .null,
        ]
    }
}
