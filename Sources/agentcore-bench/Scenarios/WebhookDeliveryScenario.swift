import AgentCoreJSON
import Crypto
import Foundation
import Synchronization

/// 7. Webhook delivery through the outbox: approvals created via the API -> webhooks plugin
/// (HMAC-signed) -> a local receiver; deliveries/s and event-to-delivery latency.
struct WebhookDeliveryScenario: Scenario {
    let id = "webhooks"
    let number = 7
    let title = "Webhook delivery through the outbox (approval -> webhooks plugin -> local receiver)"

    static let secret = "bench-webhook-secret"
    static let namespaceCount = 8

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        let sink = try await WebhookSink.start(secret: Self.secret)
        let server = try await ServerProcess.agentcore(environment, name: "webhooks")
        do {
            let report = try await measure(environment, server: server, sink: sink)
            await server.stop()
            await sink.stop()
            return report
        } catch {
            await server.stop()
            await sink.stop()
            throw error
        }
    }

    private func measure(_ environment: BenchEnvironment, server: ServerProcess, sink: WebhookSink) async throws -> ScenarioReport {
        let token = try AdminToken.mint(environment)
        let api = server.baseURL + "/api/v1"
        let namespaces = (1...Self.namespaceCount).map { "wh-\($0)" }
        for namespace in namespaces {
            try await BenchHTTP.expect(201, .POST, api + "/namespaces", token: token, json: ["id": .string(namespace), "name": "Webhooks", "departmentId": "bench"])
            try await BenchHTTP.expect(201, .POST, api + "/namespaces/\(namespace)/plugins/webhooks", token: token, json: [
                "config": ["url": .string(sink.url), "secret": .string(Self.secret), "events": ["approval.created"]],
            ])
        }
        func approve(_ title: String, in namespace: String) async throws {
            try await BenchHTTP.expect(201, .POST, api + "/namespaces/\(namespace)/approvals", token: token, json: [
                "title": .string(title), "payload": ["amount": 1250, "currency": "UAH", "invoice": "INV-2025-0042"],
            ])
        }

        // Paced: one approval at a time, each waited for (latency without load).
        let paced = environment.quick ? 5 : 300
        var pacedLatencies: [Double] = []
        for index in 0..<(paced + 5) {
            let title = "paced-\(index)"
            let start = MonotonicClock.nanoseconds()
            try await approve(title, in: namespaces[index % namespaces.count])
            let arrived = try await waitFor([title], sink: sink, timeout: .seconds(15))
            if index >= 5 { pacedLatencies.append(Double(arrived[title]! - start)) }
        }

        // Burst: many approvals over 8 namespaces from 16 concurrent clients.
        let burst = environment.quick ? 40 : 3_000
        let titles = (0..<burst).map { "burst-\($0)" }
        let sent = Locked<[String: UInt64]>([:])
        let next = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    while true {
                        let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                        guard index < burst else { return }
                        let start = MonotonicClock.nanoseconds()
                        try await approve(titles[index], in: namespaces[index % namespaces.count])
                        sent.withLock { $0[titles[index]] = start }
                    }
                }
            }
            try await group.waitForAll()
        }
        let arrivals = try await waitFor(titles, sink: sink, timeout: .seconds(300))
        let sentTimes = sent.withLock { $0 }
        let burstLatencies = titles.map { Double(arrivals[$0]! - sentTimes[$0]!) }
        let first = sentTimes.values.min()!, last = titles.map { arrivals[$0]! }.max()!
        let deliveriesPerSecond = Double(burst) / (Double(last - first) / 1e9)
        guard sink.badSignatures == 0 else { throw BenchError("\(sink.badSignatures) deliveries had a wrong HMAC signature") }

        let floor = try await directPosts(sink: sink, count: paced, concurrentCount: burst)
        let pacedSamples = Samples(pacedLatencies).scaled(by: 1_000_000)
        let burstSamples = Samples(burstLatencies).scaled(by: 1_000_000)
        return ScenarioReport(self, figures: [
            Figure("paced event -> delivery p50", pacedSamples.p50, unit: "ms", floor: ("direct signed POST to the receiver p50", floor.latency.p50), samples: pacedSamples.count),
            Figure("paced event -> delivery p99", pacedSamples.p99, unit: "ms", floor: ("direct signed POST to the receiver p99", floor.latency.p99), samples: pacedSamples.count),
            Figure("burst deliveries/s", deliveriesPerSecond, unit: "/s", floor: ("direct signed POSTs/s, 16 concurrent", floor.perSecond), samples: burst),
            Figure("burst event -> delivery p50", burstSamples.p50, unit: "ms", samples: burstSamples.count),
            Figure("burst event -> delivery p99", burstSamples.p99, unit: "ms", samples: burstSamples.count),
        ], details: [
            "setup": "\(Self.namespaceCount) namespaces with webhooks -> 127.0.0.1 receiver checking HMAC-SHA256; server defaults (delivery concurrency 8, poll 250 ms, wake on insert)",
            "latency": "from just before POST /approvals to the receiver reading the delivery",
            "duplicates seen": "\(sink.duplicates)",
        ])
    }

    /// Waits until every title arrived; their arrival times.
    private func waitFor(_ titles: [String], sink: WebhookSink, timeout: Duration) async throws -> [String: UInt64] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let arrivals = sink.arrivals
            if titles.allSatisfy({ arrivals[$0] != nil }) { return arrivals }
            if ContinuousClock.now > deadline {
                let missing = titles.filter { arrivals[$0] == nil }
                throw BenchError("\(missing.count) deliveries did not arrive within \(timeout) (first: \(missing.first ?? ""))")
            }
            try await Task.sleep(for: .microseconds(200))
        }
    }

    /// The floor: the bench posting signed envelopes of the same shape straight to the receiver.
    private func directPosts(sink: WebhookSink, count: Int, concurrentCount: Int) async throws -> (latency: Samples, perSecond: Double) {
        let key = SymmetricKey(data: Array(Self.secret.utf8))
        func post(_ title: String) async throws {
            let body = JSONValue.object([
                "event": "approval.created", "namespaceId": "wh-1", "departmentId": "bench", "occurredAt": "2025-01-01T00:00:00.000Z",
                "data": ["approvalId": .string(UUID().uuidString), "title": .string(title), "payload": ["amount": 1250, "currency": "UAH", "invoice": "INV-2025-0042"]],
            ]).serializedBytes()
            let signature = "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: key).map { String(format: "%02x", $0) }.joined()
            var request = HTTPClientRequestBuilder.post(url: sink.url, body: body)
            request.headers.add(name: "x-agentcore-signature", value: signature)
            let response = try await HTTPClientRequestBuilder.execute(request)
            guard response == 204 else { throw BenchError("the receiver answered \(response)") }
        }
        var latencies: [Double] = []
        for index in 0..<(count + 5) {
            let start = MonotonicClock.nanoseconds()
            try await post("floor-\(index)")
            if index >= 5 { latencies.append(Double(MonotonicClock.nanoseconds() - start)) }
        }
        let next = Locked(0)
        let start = MonotonicClock.nanoseconds()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    while true {
                        let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                        guard index < concurrentCount else { return }
                        try await post("floor-burst-\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return (Samples(latencies).scaled(by: 1_000_000), Double(concurrentCount) / seconds)
    }
}
