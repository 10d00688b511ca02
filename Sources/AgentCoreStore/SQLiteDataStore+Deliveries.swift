public import Foundation
import GRDB

/// The outbox: event deliveries written with their records, claimed by the delivery worker.
extension SQLiteDataStore {
    private static let table = EventDeliveryRecord.databaseTableName
    private static let undeliveredSQL = "('pending', 'failed')"

    /// Inserts `deliveries` with a `sequence` after every existing one of the same install.
    /// Called inside the transaction that writes the record they announce.
    ///
    /// The subscribers were read before the transaction; an install disabled or removed
    /// since then gets no delivery (it would be cancelled at once anyway).
    static func insertDeliveries(_ deliveries: [EventDeliveryRecord], _ db: Database) throws {
        for var delivery in deliveries {
            let enabled = try Bool.fetchOne(
                db,
                sql: "SELECT enabled FROM \(NamespacePluginRecord.databaseTableName) WHERE namespace_id = ? AND plugin_id = ?",
                arguments: [delivery.namespaceId, delivery.pluginId]
            )
            guard enabled == true else { continue }
            let last = try Int64.fetchOne(
                db,
                sql: "SELECT MAX(sequence) FROM \(table) WHERE namespace_id = ? AND plugin_id = ?",
                arguments: [delivery.namespaceId, delivery.pluginId]
            ) ?? 0
            delivery.sequence = last + 1
            try delivery.insert(db)
        }
    }

    /// Cancels the undelivered deliveries of one install (disabled or removed): re-enabling does not replay them.
    static func cancelUndelivered(namespaceId: String, pluginId: String, reason: String, at date: Date, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE \(table) SET status = 'cancelled', last_error = ?, updated_at = ?
                WHERE namespace_id = ? AND plugin_id = ? AND status IN \(undeliveredSQL)
                """,
            arguments: [reason, date, namespaceId, pluginId]
        )
    }

    public func dueDeliveries(
        now: Date, limit: Int, excludingDeliveries: Set<String>, excludingInstalls: Set<DeliveryInstallKey>
    ) async throws(StoreError) -> [EventDeliveryRecord] {
        guard limit > 0 else { return [] }
        // A sequential install yields one row (its oldest undelivered, by the correlated MIN), so
        // an excluded install costs at most one row and an excluded delivery one: asking for
        // limit + both counts always leaves `limit` eligible rows when there are that many.
        // A delivery in flight is still pending or failed, so it keeps its rank: a parallel
        // install with n in flight has its next one ranked n + 1, behind the others' first.
        let fetchLimit = limit + excludingInstalls.count + excludingDeliveries.count
        let rows = try await read("read due deliveries") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                      SELECT d.*, COALESCE(p.parallel_delivery, 0) AS install_parallel,
                        ROW_NUMBER() OVER (PARTITION BY d.namespace_id, d.plugin_id ORDER BY d.sequence) AS install_rank
                      FROM \(Self.table) d
                      LEFT JOIN \(NamespacePluginRecord.databaseTableName) p
                        ON p.namespace_id = d.namespace_id AND p.plugin_id = d.plugin_id
                      WHERE d.status IN \(Self.undeliveredSQL) AND d.next_attempt_at <= ?
                        AND (COALESCE(p.parallel_delivery, 0) = 1 OR d.sequence = (
                          SELECT MIN(e.sequence) FROM \(Self.table) e
                          WHERE e.namespace_id = d.namespace_id AND e.plugin_id = d.plugin_id
                            AND e.status IN \(Self.undeliveredSQL)))
                    )
                    ORDER BY install_rank, next_attempt_at, created_at, sequence
                    LIMIT ?
                    """,
                arguments: [now, fetchLimit]
            ).map { row -> (EventDeliveryRecord, Bool) in
                (try EventDeliveryRecord(row: row), row["install_parallel"])
            }
        }
        return Array(rows.lazy.filter { delivery, parallel in
            if excludingDeliveries.contains(delivery.id) { return false }
            return parallel || !excludingInstalls.contains(DeliveryInstallKey(namespaceId: delivery.namespaceId, pluginId: delivery.pluginId))
        }.map(\.0).prefix(limit))
    }

    public func markDelivered(id: String, attempts: Int, at date: Date) async throws(StoreError) {
        try await write("mark delivery \(id) delivered") { db in
            try db.execute(
                sql: """
                    UPDATE \(Self.table) SET status = 'delivered', attempts = ?, last_error = NULL, updated_at = ?
                    WHERE id = ? AND status IN \(Self.undeliveredSQL)
                    """,
                arguments: [attempts, date, id]
            )
        }
    }

    public func markFailed(id: String, attempts: Int, error: String, retryAt: Date?, at date: Date) async throws(StoreError) {
        let status: EventDeliveryRecord.Status = retryAt == nil ? .dead : .failed
        try await write("mark delivery \(id) \(status.rawValue)") { db in
            try db.execute(
                sql: """
                    UPDATE \(Self.table) SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
                    WHERE id = ? AND status IN \(Self.undeliveredSQL)
                    """,
                arguments: [status, attempts, error, retryAt ?? date, date, id]
            )
        }
    }

    public func markCancelled(id: String, reason: String, at date: Date) async throws(StoreError) {
        try await write("cancel delivery \(id)") { db in
            try db.execute(
                sql: """
                    UPDATE \(Self.table) SET status = 'cancelled', last_error = ?, updated_at = ?
                    WHERE id = ? AND status IN \(Self.undeliveredSQL)
                    """,
                arguments: [reason, date, id]
            )
        }
    }

    public func deliveries(
        namespaceId: String, status: EventDeliveryRecord.Status?, pluginId: String?, limit: Int, after cursor: Int64?
    ) async throws(StoreError) -> DeliveryPage {
        // Paged by rowid: stable, insertion ordered, and unaffected by status changes between pages.
        var conditions = ["namespace_id = ?"]
        var arguments: StatementArguments = [namespaceId]
        if let status {
            conditions.append("status = ?")
            arguments += [status]
        }
        if let pluginId {
            conditions.append("plugin_id = ?")
            arguments += [pluginId]
        }
        if let cursor {
            conditions.append("rowid > ?")
            arguments += [cursor]
        }
        arguments += [limit + 1]
        let sql = "SELECT *, rowid AS page_rowid FROM \(Self.table) WHERE \(conditions.joined(separator: " AND ")) ORDER BY rowid LIMIT ?"
        let finalArguments = arguments
        let rows = try await read("list deliveries of \(namespaceId)") { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map { row -> (EventDeliveryRecord, Int64) in
                (try EventDeliveryRecord(row: row), row["page_rowid"])
            }
        }
        let page = rows.prefix(limit)
        return DeliveryPage(
            deliveries: page.map(\.0),
            nextCursor: rows.count > limit ? page.last?.1 : nil
        )
    }

    public func redeliver(namespaceId: String, id: String, at date: Date) async throws(StoreError) -> EventDeliveryRecord? {
        try await write("redeliver \(id) in \(namespaceId)") { db -> EventDeliveryRecord? in
            guard var delivery = try EventDeliveryRecord
                .filter(EventDeliveryRecord.Columns.id == id && EventDeliveryRecord.Columns.namespaceId == namespaceId)
                .fetchOne(db)
            else { return nil }
            guard delivery.status == .dead || delivery.status == .delivered else {
                throw StoreError.conflict("delivery \(id) is \(delivery.status.rawValue): only a dead or delivered one can be redelivered")
            }
            delivery.status = .pending
            delivery.attempts = 0
            delivery.lastError = nil
            delivery.nextAttemptAt = date
            delivery.updatedAt = date
            try delivery.update(db)
            return delivery
        }
    }

    public func pruneDeliveries(deliveredBefore: Date, deadBefore: Date) async throws(StoreError) -> Int {
        try await write("prune deliveries") { db in
            try db.execute(
                sql: """
                    DELETE FROM \(Self.table)
                    WHERE (status = 'delivered' AND updated_at < ?) OR (status = 'dead' AND updated_at < ?)
                    """,
                arguments: [deliveredBefore, deadBefore]
            )
            return db.changesCount
        }
    }
}
