import AgentCoreJSON
import AgentCoreStore
import Foundation
import Logging
import Testing

/// The outbox for an install that opted into parallel delivery: all its due deliveries are
/// handed out, not only its oldest, without crowding out the other installs.
@Suite("SQLite parallel delivery")
final class SQLiteParallelDeliveryTests {
    let directory: URL
    let store: SQLiteDataStore
    let now = Date(timeIntervalSince1970: 1_700_000_000.25)

    init() throws {
        directory = try TestPaths.temporaryDirectory("agentcore-parallel")
        store = try SQLiteDataStore(dataDirectory: directory.path, masterKey: MasterKey(key: .init(size: .bits256)), logger: Logger(label: "parallel-test"))
    }

    deinit {
        try? store.close()
        TestPaths.remove(directory)
    }

    /// Namespace `ns` with plugin `par` (parallel delivery) and `seq` (the default) installed, and
    /// `count` approvals, each announced to both; approval `aN` gives deliveries `aN-par` and `aN-seq`.
    private func prepare(approvals count: Int) async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "ns", departmentId: "d1", createdAt: now))
        for (plugin, parallel) in [("par", true), ("seq", false)] {
            try await store.insertPluginInstall(StoredPluginInstall(
                namespaceId: "ns", pluginId: plugin, enabled: true, publicConfig: [:], secrets: [:],
                parallelDelivery: parallel, createdAt: now, updatedAt: now
            ))
        }
        for index in 1...count {
            let id = "a\(index)"
            let deliveries = ["par", "seq"].map { plugin in
                EventDeliveryRecord(
                    id: "\(id)-\(plugin)", namespaceId: "ns", pluginId: plugin, event: "approval.created", payloadJSON: "{}",
                    occurredAt: now, nextAttemptAt: now, createdAt: now, updatedAt: now
                )
            }
            try await store.insertApproval(ApprovalRecord(id: id, namespaceId: "ns", title: id, payloadJSON: "null", createdAt: now), deliveries: deliveries)
        }
    }

    private func due(limit: Int = 10, inFlight: [String] = []) async throws -> [String] {
        let installs = Set(inFlight.map { DeliveryInstallKey(namespaceId: "ns", pluginId: String($0.split(separator: "-")[1])) })
        return try await store.dueDeliveries(now: now, limit: limit, excludingDeliveries: Set(inFlight), excludingInstalls: installs).map(\.id)
    }

    @Test func theFlagIsStoredWithTheInstallAndOffByDefault() async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "ns", departmentId: "d1", createdAt: now))
        var install = StoredPluginInstall(namespaceId: "ns", pluginId: "p", enabled: true, publicConfig: [:], secrets: [:], createdAt: now, updatedAt: now)
        try await store.insertPluginInstall(install)
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p")?.parallelDelivery == false)

        install.parallelDelivery = true
        try await store.updatePluginInstall(install)
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p")?.parallelDelivery == true)
    }

    @Test func everyDueDeliveryOfAParallelInstallIsDueButOnlyTheOldestOfASequentialOne() async throws {
        try await prepare(approvals: 3)
        let due = try await due()
        #expect(due.count == 4)
        // Each install's first before any install's second; a parallel install's in creation order.
        #expect(Set(due.prefix(2)) == ["a1-par", "a1-seq"])
        #expect(Array(due.suffix(2)) == ["a2-par", "a3-par"])
    }

    @Test func deliveriesInFlightAreNotHandedOutAgainAndHoldBackOnlyASequentialInstall() async throws {
        try await prepare(approvals: 3)
        #expect(try await due(inFlight: ["a1-par", "a1-seq"]) == ["a2-par", "a3-par"])
        #expect(try await due(inFlight: ["a1-par", "a2-par", "a3-par"]) == ["a1-seq"])
    }

    @Test func aParallelBacklogDoesNotPushAnotherInstallOutOfTheLimit() async throws {
        try await prepare(approvals: 3)
        // Two slots, the parallel install already has one in flight: the sequential install's
        // oldest goes first, then the parallel install's next.
        #expect(try await due(limit: 2, inFlight: ["a1-par"]) == ["a1-seq", "a2-par"])
    }

    @Test func aFailedDeliveryOfAParallelInstallDoesNotHoldBackItsLaterOnes() async throws {
        try await prepare(approvals: 2)
        try await store.markFailed(id: "a1-par", attempts: 1, error: "503", retryAt: now.addingTimeInterval(60), at: now)
        try await store.markFailed(id: "a1-seq", attempts: 1, error: "503", retryAt: now.addingTimeInterval(60), at: now)
        #expect(try await due() == ["a2-par"])
    }
}
