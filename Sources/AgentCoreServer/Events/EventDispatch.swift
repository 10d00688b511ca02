public import AgentCoreJSON
public import Foundation
public import Logging
public import PluginRuntime
public import ServiceLifecycle

/// Delivers approval and document events to the plugins subscribed to them,
/// after the response that created the record and without blocking it.
///
/// In memory, at most once: an event still queued when the process dies is
/// lost. This one type is the seam the durable outbox replaces. On graceful
/// shutdown it stops accepting events, then delivers the queued ones and waits
/// for every hook call in flight.
public final class EventDispatch: Service {
    /// An event to deliver to every subscriber of its kind in its namespace.
    public struct Event: Sendable {
        public var kind: PluginEventKind
        public var namespaceId: String
        public var departmentId: String
        public var data: JSONValue
        public var occurredAt: Date

        public init(kind: PluginEventKind, namespaceId: String, departmentId: String, data: JSONValue, occurredAt: Date) {
            self.kind = kind
            self.namespaceId = namespaceId
            self.departmentId = departmentId
            self.data = data
            self.occurredAt = occurredAt
        }
    }

    private let runtime: PluginRuntime
    private let logger: Logger
    private let stream: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    public init(runtime: PluginRuntime, logger: Logger) {
        self.runtime = runtime
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
    }

    /// Queues `event` for delivery; returns at once.
    public func publish(_ event: Event) {
        if case .terminated = continuation.yield(event) {
            logger.warning(
                "event dropped: the server is shutting down",
                metadata: ["event": .string(event.kind.rawValue), "namespace.id": .string(event.namespaceId)]
            )
        }
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await event in stream {
                    group.addTask { await self.deliver(event) }
                }
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    private func deliver(_ event: Event) async {
        let subscribers: [String]
        do {
            subscribers = try await runtime.subscribers(of: event.kind, namespaceId: event.namespaceId)
        } catch {
            logger.warning(
                "event not delivered",
                metadata: ["event": .string(event.kind.rawValue), "namespace.id": .string(event.namespaceId), "error": "\(error)"]
            )
            return
        }
        await withDiscardingTaskGroup { group in
            for pluginId in subscribers {
                group.addTask {
                    let delivery = PluginEvent(
                        kind: event.kind,
                        deliveryId: UUID().uuidString.lowercased(),
                        attempt: 1,
                        occurredAt: event.occurredAt,
                        namespaceId: event.namespaceId,
                        departmentId: event.departmentId,
                        data: event.data
                    )
                    let result = await self.runtime.deliver(delivery, pluginId: pluginId)
                    var metadata: Logger.Metadata = [
                        "event": .string(event.kind.rawValue),
                        "delivery.id": .string(delivery.deliveryId),
                        "namespace.id": .string(event.namespaceId),
                        "plugin.id": .string(pluginId),
                        "status": .string(result.status.rawValue),
                        "duration_ms": .string(String(format: "%.1f", result.durationMs)),
                    ]
                    if result.status == .ok {
                        self.logger.info("event delivered", metadata: metadata)
                    } else {
                        metadata["error"] = .string(result.error ?? "")
                        self.logger.warning("event delivery failed", metadata: metadata)
                    }
                }
            }
        }
    }
}
