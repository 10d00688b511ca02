import AgentCoreJSON
import Foundation
import Testing

/// An install's opt-in to parallel delivery: off, its events go out one at a time in creation
/// order; on, several are in flight at once.
@Suite("Parallel delivery")
struct ParallelDeliveryTests {
    @Test func theFlagIsOffByDefaultSetByPostOrPatchAndShown() async throws {
        try await withServer { _, api in
            try await api.createNamespace("flags")
            let installed = try await api.install("webhooks", in: "flags", config: ["url": "http://127.0.0.1:9/hook"])
            #expect(installed["parallelDelivery"] == false)

            let patched = try await api.patch("/api/v1/namespaces/flags/plugins/webhooks", ["parallelDelivery": true])
            #expect(patched.status == 200)
            #expect(patched.json["parallelDelivery"] == true)
            #expect(try await api.get("/api/v1/namespaces/flags/plugins/webhooks").json["parallelDelivery"] == true)
            // A PATCH without the field keeps it.
            #expect(try await api.patch("/api/v1/namespaces/flags/plugins/webhooks", ["enabled": true]).json["parallelDelivery"] == true)

            try await api.createNamespace("flags2")
            let posted = try await api.post("/api/v1/namespaces/flags2/plugins/webhooks", [
                "config": ["url": "http://127.0.0.1:9/hook"], "parallelDelivery": true,
            ])
            #expect(posted.status == 201)
            #expect(posted.json["parallelDelivery"] == true)
            let wrongType = try await api.patch("/api/v1/namespaces/flags2/plugins/webhooks", ["parallelDelivery": "yes"])
            #expect(wrongType.status == 400)
        }
    }

    @Test func aParallelInstallGetsSeveralDeliveriesAtOnceFromASlowReceiver() async throws {
        let receiver = try await InFlightReceiver.start(delay: .milliseconds(800))
        defer { Task { try? await receiver.stop() } }
        try await withServer(extraArguments: DeliveryTests.fastRetries) { _, api in
            try await api.createNamespace("wide")
            let response = try await api.post("/api/v1/namespaces/wide/plugins/webhooks", [
                "config": ["url": .string(receiver.url)], "parallelDelivery": true,
            ])
            #expect(response.status == 201)
            for index in 0..<4 {
                #expect(try await api.post("/api/v1/namespaces/wide/approvals", ["title": .string("w\(index)")]).status == 201)
            }
            _ = try await api.waitForDeliveries(in: "wide", count: 4) { $0["status"] == "delivered" }
            #expect(receiver.peakInFlight >= 2)
            #expect(Set(receiver.arrivedTitles) == ["w0", "w1", "w2", "w3"])
        }
    }

    @Test func aSequentialInstallGetsItsDeliveriesOneAtATimeInCreationOrder() async throws {
        let receiver = try await InFlightReceiver.start(delay: .milliseconds(300))
        defer { Task { try? await receiver.stop() } }
        try await withServer(extraArguments: DeliveryTests.fastRetries) { _, api in
            try await api.createNamespace("narrow")
            try await api.install("webhooks", in: "narrow", config: ["url": .string(receiver.url)])
            for index in 0..<4 {
                #expect(try await api.post("/api/v1/namespaces/narrow/approvals", ["title": .string("n\(index)")]).status == 201)
            }
            _ = try await api.waitForDeliveries(in: "narrow", count: 4) { $0["status"] == "delivered" }
            #expect(receiver.peakInFlight == 1)
            #expect(receiver.arrivedTitles == ["n0", "n1", "n2", "n3"])
        }
    }
}
