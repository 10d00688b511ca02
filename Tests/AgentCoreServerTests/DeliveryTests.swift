import AgentCoreJSON
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The outbox: at-least-once delivery of approval and document events, retries, dead letters, redelivery.
@Suite("Event deliveries")
struct DeliveryTests {
    /// Short retries so a test sees several attempts in well under a second.
    static let fastRetries = [
        "--delivery-retry-base-ms", "50", "--delivery-retry-cap-ms", "200", "--delivery-poll-ms", "50",
    ]

    @Test func aFailingReceiverGetsTheEventOnceWithTheSameDeliveryIdOnEveryAttempt() async throws {
        let receiver = try await WebhookReceiver.start(failFirst: 3)
        defer { Task { try? await receiver.stop() } }
        try await withServer(extraArguments: Self.fastRetries) { _, api in
            try await api.createNamespace("retry")
            try await api.install("webhooks", in: "retry", config: ["url": .string(receiver.url)])
            let created = try await api.post("/api/v1/namespaces/retry/approvals", ["title": "Retry me"])
            #expect(created.status == 201)

            let delivery = try await api.waitForDelivery(in: "retry") { $0["status"] == "delivered" }
            let requests = receiver.received
            #expect(requests.count == 4)
            #expect(receiver.successes.count == 1)
            #expect(requests.map { $0.header("x-agentcore-attempt") } == ["1", "2", "3", "4"])
            #expect(Set(requests.map { $0.header("x-agentcore-delivery") }) == [delivery["id"]?.stringValue])
            #expect(delivery["attempts"] == 4)
            #expect(delivery["event"] == "approval.created")
            #expect(delivery["lastError"] == .null)
        }
    }

    @Test func anAlwaysDownReceiverEndsDeadAndRedeliveryReachesItOnceUp() async throws {
        let receiver = try await WebhookReceiver.start(down: true)
        defer { Task { try? await receiver.stop() } }
        try await withServer(extraArguments: Self.fastRetries + ["--delivery-max-attempts", "3"]) { _, api in
            try await api.createNamespace("down")
            try await api.install("webhooks", in: "down", config: ["url": .string(receiver.url)])
            #expect(try await api.post("/api/v1/namespaces/down/documents", ["name": "a.txt", "content": "abc"]).status == 201)

            let dead = try await api.waitForDelivery(in: "down") { $0["status"] == "dead" }
            #expect(dead["attempts"] == 3)
            #expect(dead["lastError"]?.stringValue?.isEmpty == false)
            #expect(dead["nextAttemptAt"] == .null)
            #expect(receiver.received.count == 3)
            let id = try #require(dead["id"]?.stringValue)

            receiver.setDown(false)
            let redelivered = try await api.post("/api/v1/namespaces/down/deliveries/\(id)/redeliver", [:])
            #expect(redelivered.status == 200)
            #expect(redelivered.json["attempts"] == 0)

            let delivered = try await api.waitForDelivery(in: "down") { $0["status"] == "delivered" }
            #expect(delivered["attempts"] == 1)
            let success = try #require(receiver.successes.first)
            #expect(receiver.successes.count == 1)
            #expect(success.header("x-agentcore-delivery") == id)
            #expect(success.header("x-agentcore-attempt") == "1")
        }
    }

    @Test func onlyDeadOrDeliveredDeliveriesCanBeRedelivered() async throws {
        let receiver = try await WebhookReceiver.start(down: true)
        defer { Task { try? await receiver.stop() } }
        try await withServer(extraArguments: ["--delivery-retry-base-ms", "60000", "--delivery-retry-cap-ms", "60000"]) { _, api in
            try await api.createNamespace("redo")
            try await api.install("webhooks", in: "redo", config: ["url": .string(receiver.url)])
            #expect(try await api.post("/api/v1/namespaces/redo/approvals", ["title": "x"]).status == 201)
            let failed = try await api.waitForDelivery(in: "redo") { $0["status"] == "failed" }
            let id = try #require(failed["id"]?.stringValue)
            #expect(try await api.post("/api/v1/namespaces/redo/deliveries/\(id)/redeliver", [:]).status == 409)
            #expect(try await api.post("/api/v1/namespaces/redo/deliveries/no-such-delivery/redeliver", [:]).status == 404)
            #expect(try await api.post("/api/v1/namespaces/redo/deliveries/\(id)/redeliver", [:], token: TestToken.user(["d1"], permissions: [])).status == 403)
        }
    }

    @Test func disablingAnInstallCancelsItsUndeliveredDeliveries() async throws {
        let receiver = try await WebhookReceiver.start(down: true)
        defer { Task { try? await receiver.stop() } }
        try await withServer(extraArguments: ["--delivery-retry-base-ms", "60000", "--delivery-retry-cap-ms", "60000"]) { _, api in
            try await api.createNamespace("cancel")
            try await api.install("webhooks", in: "cancel", config: ["url": .string(receiver.url)])
            #expect(try await api.post("/api/v1/namespaces/cancel/approvals", ["title": "x"]).status == 201)
            _ = try await api.waitForDelivery(in: "cancel") { $0["status"] == "failed" }
            #expect(try await api.patch("/api/v1/namespaces/cancel/plugins/webhooks", ["enabled": false]).status == 200)
            let list = try await api.get("/api/v1/namespaces/cancel/deliveries?status=cancelled")
            #expect(list.json["deliveries"]?.arrayValue?.count == 1)
            #expect(list.json["deliveries"]?[0]?["lastError"] == "the plugin was disabled")
        }
    }

    @Test func deliveriesArePagedOldestFirst() async throws {
        try await withServer(extraArguments: ["--delivery-retry-base-ms", "60000", "--delivery-retry-cap-ms", "60000"]) { _, api in
            try await api.createNamespace("pages")
            // Nothing listens on port 9: every attempt fails, and the deliveries stay put.
            try await api.install("webhooks", in: "pages", config: ["url": "http://127.0.0.1:9/hook"])
            var titles: [String] = []
            for index in 0..<5 {
                titles.append("a\(index)")
                #expect(try await api.post("/api/v1/namespaces/pages/approvals", ["title": .string("a\(index)")]).status == 201)
            }
            let first = try await api.get("/api/v1/namespaces/pages/deliveries?limit=3")
            #expect(first.status == 200)
            let cursor = try #require(first.json["nextCursor"]?.stringValue)
            let second = try await api.get("/api/v1/namespaces/pages/deliveries?limit=3&cursor=\(cursor)")
            #expect(second.json["nextCursor"] == .null)
            let seen = (first.json["deliveries"]?.arrayValue ?? []) + (second.json["deliveries"]?.arrayValue ?? [])
            #expect(seen.compactMap { $0["data"]?["title"]?.stringValue } == titles)
            #expect(try await api.get("/api/v1/namespaces/pages/deliveries?status=bogus").status == 400)
        }
    }

    @Test func pendingDeliveriesSurviveSIGKILLAndAreDeliveredAfterRestart() async throws {
        let receiver = try await WebhookReceiver.start(down: true)
        defer { Task { try? await receiver.stop() } }
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        await ServerSlots.shared.acquire()
        defer { Task { await ServerSlots.shared.release() } }

        let first = try await ServerProcess.start(dataDirectory: dataDirectory, extraArguments: Self.fastRetries)
        let api = APIClient(baseURL: first.baseURL)
        try await api.createNamespace("crash")
        try await api.install("webhooks", in: "crash", config: ["url": .string(receiver.url)])
        for index in 0..<5 {
            #expect(try await api.post("/api/v1/namespaces/crash/approvals", ["title": .string("e\(index)")]).status == 201)
        }
        try await first.crash()

        receiver.setDown(false)
        let second = try await ServerProcess.start(dataDirectory: dataDirectory, extraArguments: Self.fastRetries)
        defer { Task { _ = try? await second.stop() } }
        let restarted = APIClient(baseURL: second.baseURL)
        let ids = try await restarted.waitForDeliveries(in: "crash", count: 5) { $0["status"] == "delivered" }
        #expect(Set(receiver.successes.compactMap { $0.header("x-agentcore-delivery") }) == Set(ids))
        // Per-install order: creation order on the wire.
        let titles = receiver.successes.compactMap { request in
            (try? JSONValue(parsing: request.body))?["data"]?["title"]?.stringValue
        }
        #expect(titles == ["e0", "e1", "e2", "e3", "e4"])
    }

    @Test func aKillInTheMiddleOfABatchLosesNoEvent() async throws {
        // Each answer takes 300 ms, so the kill lands with deliveries in flight and others queued.
        let receiver = try await WebhookReceiver.start(delay: .milliseconds(300))
        defer { Task { try? await receiver.stop() } }
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { TestPaths.remove(dataDirectory) }
        await ServerSlots.shared.acquire()
        defer { Task { await ServerSlots.shared.release() } }

        let first = try await ServerProcess.start(dataDirectory: dataDirectory, extraArguments: Self.fastRetries)
        let api = APIClient(baseURL: first.baseURL)
        try await api.createNamespace("batch")
        try await api.install("webhooks", in: "batch", config: ["url": .string(receiver.url)])
        for index in 0..<8 {
            #expect(try await api.post("/api/v1/namespaces/batch/documents", ["name": .string("d\(index)"), "content": "x"]).status == 201)
        }
        _ = try await receiver.waitForRequests(2)
        try await first.crash()

        let second = try await ServerProcess.start(dataDirectory: dataDirectory, extraArguments: Self.fastRetries)
        defer { Task { _ = try? await second.stop() } }
        let ids = try await APIClient(baseURL: second.baseURL).waitForDeliveries(in: "batch", count: 8) { $0["status"] == "delivered" }
        // Every event arrived at least once; a repeat only ever carries an id already seen.
        let delivered = receiver.successes.compactMap { $0.header("x-agentcore-delivery") }
        #expect(Set(delivered) == Set(ids))
        #expect(delivered.count >= 8)
    }

    @Test func aSlowInstallDoesNotDelayAnotherInstall() async throws {
        let slow = try await WebhookReceiver.start(delay: .seconds(3))
        let fast = try await WebhookReceiver.start()
        defer { Task { try? await slow.stop(); try? await fast.stop() } }
        try await withServer(extraArguments: Self.fastRetries) { _, api in
            try await api.createNamespace("slow")
            try await api.createNamespace("fast")
            try await api.install("webhooks", in: "slow", config: ["url": .string(slow.url)])
            try await api.install("webhooks", in: "fast", config: ["url": .string(fast.url)])
            for index in 0..<3 {
                #expect(try await api.post("/api/v1/namespaces/slow/approvals", ["title": .string("s\(index)")]).status == 201)
            }
            for index in 0..<3 {
                #expect(try await api.post("/api/v1/namespaces/fast/approvals", ["title": .string("f\(index)")]).status == 201)
            }
            // The slow install answers one event per 3 s, one at a time: 9 s for its three.
            _ = try await fast.waitForRequests(3)
            #expect(fast.successes.count == 3)
            #expect(slow.successes.count < 3)
        }
    }
}

extension APIClient {
    /// Polls the namespace's deliveries until one matches, and returns it.
    func waitForDelivery(in namespace: String, timeout: Duration = .seconds(30), where match: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let deliveries = try await get("/api/v1/namespaces/\(namespace)/deliveries").json["deliveries"]?.arrayValue ?? []
            if let found = deliveries.first(where: match) { return found }
            guard ContinuousClock.now < deadline else {
                throw DeliveryWaitError(message: "no delivery of \(namespace) matched within \(timeout): \(deliveries)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Polls until `count` deliveries of the namespace match; returns their ids.
    func waitForDeliveries(in namespace: String, count: Int, timeout: Duration = .seconds(60), where match: (JSONValue) -> Bool) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let deliveries = try await get("/api/v1/namespaces/\(namespace)/deliveries?limit=500").json["deliveries"]?.arrayValue ?? []
            let matching = deliveries.filter(match)
            if matching.count >= count { return matching.compactMap { $0["id"]?.stringValue } }
            guard ContinuousClock.now < deadline else {
                throw DeliveryWaitError(message: "\(matching.count) of \(count) deliveries of \(namespace) matched within \(timeout): \(deliveries)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

struct DeliveryWaitError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
