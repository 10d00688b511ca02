import AgentCoreJSON
public import AgentCoreStore
import Foundation
public import Logging
public import PluginRuntime
public import ServiceLifecycle
import Synchronization

/// Delivers the outbox: the event deliveries written with each approval and document.
///
/// At least once: a delivery is marked delivered only after its hook answered
/// ok, so a process killed mid-call delivers it again on restart, with the same
/// delivery id. Claims are in memory only (a crash releases them all). One
/// delivery per install is in flight at a time, oldest first, so an install's
/// events arrive in creation order while a slow or failing install never holds
/// back another; an install that opted into parallel delivery may have several
/// in flight (the store ranks each install's first due delivery before any
/// install's second, so its backlog does not crowd out the others), all within
/// the global concurrency. Failures are retried on ``DeliveryConfiguration``'s schedule,
/// then left dead. On graceful shutdown it stops claiming and waits for the
/// hook calls in flight.
public final class DeliveryWorker: Service {
    private let store: any DataStore
    private let runtime: PluginRuntime
    private let configuration: DeliveryConfiguration
    private let logger: Logger
    private let wake = WakeSignal()
    /// The deliveries in flight (by id) and their installs. Never held across a plugin call.
    private let inFlight = Mutex<[String: DeliveryInstallKey]>([:])

    public init(store: any DataStore, runtime: PluginRuntime, configuration: DeliveryConfiguration, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.configuration = configuration
        self.logger = logger
    }

    /// Tells the worker new deliveries are due (saves waiting for the next poll).
    public func wakeUp() {
        wake.signal()
    }

    public func run() async {
        let concurrency = max(1, configuration.concurrency)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let clock = ContinuousClock()
                var nextPrune = clock.now
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    if clock.now >= nextPrune {
                        await prune()
                        nextPrune = clock.now.advanced(by: configuration.pruneInterval)
                    }
                    let busy = inFlight.withLock { $0 }
                    let free = concurrency - busy.count
                    var claimed: [EventDeliveryRecord] = []
                    if free > 0 {
                        do {
                            claimed = try await store.dueDeliveries(
                                now: Date(), limit: free,
                                excludingDeliveries: Set(busy.keys), excludingInstalls: Set(busy.values)
                            )
                        } catch {
                            logger.error("cannot read due deliveries", metadata: ["error": .string("\(error)")])
                        }
                    }
                    for delivery in claimed {
                        let key = DeliveryInstallKey(namespaceId: delivery.namespaceId, pluginId: delivery.pluginId)
                        inFlight.withLock { $0[delivery.id] = key }
                        group.addTask {
                            await self.attempt(delivery)
                            self.inFlight.withLock { _ = $0.removeValue(forKey: delivery.id) }
                            // The install's next delivery may be due now.
                            self.wake.signal()
                        }
                    }
                    if claimed.count < free || free <= 0 {
                        await wake.wait(timeout: configuration.pollInterval)
                    }
                }
            }
        } onGracefulShutdown: {
            self.wake.signal()
        }
        logger.info("delivery worker stopped")
    }

    /// One attempt of one delivery, and its outcome recorded.
    private func attempt(_ delivery: EventDeliveryRecord) async {
        let attempt = delivery.attempts + 1
        var metadata: Logger.Metadata = [
            "event": .string(delivery.event),
            "delivery.id": .string(delivery.id),
            "namespace.id": .string(delivery.namespaceId),
            "plugin.id": .string(delivery.pluginId),
            "attempt": .stringConvertible(attempt),
        ]
        do {
            guard let kind = PluginEventKind(rawValue: delivery.event) else {
                try await store.markFailed(id: delivery.id, attempts: attempt, error: "unknown event \(delivery.event)", retryAt: nil, at: Date())
                return
            }
            // Deleting the namespace deletes its deliveries: nothing left to do.
            guard let namespace = try await store.namespace(id: delivery.namespaceId) else { return }
            let data = (try? JSONValue(parsing: delivery.payloadJSON)) ?? .null
            let event = PluginEvent(
                kind: kind, deliveryId: delivery.id, attempt: attempt, occurredAt: delivery.occurredAt,
                namespaceId: delivery.namespaceId, departmentId: namespace.departmentId, data: data
            )
            let result = await runtime.deliver(event, pluginId: delivery.pluginId)
            metadata["status"] = .string(result.status.rawValue)
            metadata["duration_ms"] = .string(String(format: "%.1f", result.durationMs))
            if result.status == .ok {
                try await store.markDelivered(id: delivery.id, attempts: attempt, at: Date())
                logger.info("event delivered", metadata: metadata)
                return
            }
            // Every other outcome is retried, `skipped` too: it also means "saturated right now".
            // A disabled or removed install has its deliveries cancelled by the store, which
            // makes this update a no-op.
            let reason = result.error ?? result.status.rawValue
            metadata["error"] = .string(reason)
            if attempt >= configuration.maxAttempts {
                try await store.markFailed(id: delivery.id, attempts: attempt, error: reason, retryAt: nil, at: Date())
                logger.warning("event delivery dead after its last attempt", metadata: metadata)
            } else {
                let delay = configuration.retryDelay(afterAttempt: attempt, jitter: Double.random(in: 0...1))
                let retryAt = Date().addingTimeInterval(DeliveryConfiguration.seconds(delay))
                try await store.markFailed(id: delivery.id, attempts: attempt, error: reason, retryAt: retryAt, at: Date())
                metadata["retry_in_ms"] = .stringConvertible(Int((DeliveryConfiguration.seconds(delay) * 1000).rounded()))
                logger.warning("event delivery failed, will retry", metadata: metadata)
            }
        } catch {
            // The delivery stays as it was: due again at the next poll (at least once).
            metadata["error"] = .string("\(error)")
            logger.error("cannot record a delivery attempt", metadata: metadata)
        }
    }

    private func prune() async {
        let now = Date()
        do {
            let deleted = try await store.pruneDeliveries(
                deliveredBefore: now.addingTimeInterval(-DeliveryConfiguration.seconds(configuration.deliveredRetention)),
                deadBefore: now.addingTimeInterval(-DeliveryConfiguration.seconds(configuration.deadRetention))
            )
            if deleted > 0 { logger.info("old deliveries pruned", metadata: ["count": .stringConvertible(deleted)]) }
        } catch {
            logger.error("cannot prune deliveries", metadata: ["error": .string("\(error)")])
        }
    }
}
