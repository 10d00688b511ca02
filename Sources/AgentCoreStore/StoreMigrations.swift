import GRDB

/// The schema, as named migrations. Append only: never edit a migration that has shipped.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-namespaces") { db in
            try db.create(table: NamespaceRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("department_id", .text).notNull().indexed()
                t.column("created_at", .datetime).notNull()
            }
        }

        migrator.registerMigration("v1-namespace-plugins") { db in
            try db.create(table: NamespacePluginRecord.databaseTableName) { t in
                t.column("namespace_id", .text).notNull()
                    .references(NamespaceRecord.databaseTableName, column: "id", onDelete: .cascade)
                t.column("plugin_id", .text).notNull()
                t.column("enabled", .boolean).notNull()
                // The config without its writeOnly fields, as compact JSON.
                t.column("config_json", .text).notNull()
                // AES-256-GCM sealed JSON object of the writeOnly fields, by JSON Pointer.
                t.column("secrets", .blob)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.primaryKey(["namespace_id", "plugin_id"])
            }
        }

        migrator.registerMigration("v1-plugin-kv") { db in
            try db.create(table: PluginKeyValueRecord.databaseTableName) { t in
                t.column("plugin_id", .text).notNull()
                t.column("namespace_id", .text).notNull()
                    .references(NamespaceRecord.databaseTableName, column: "id", onDelete: .cascade)
                t.column("key", .text).notNull()
                t.column("value", .blob).notNull()
                t.primaryKey(["plugin_id", "namespace_id", "key"])
            }
        }

        migrator.registerMigration("v1-approvals-documents") { db in
            try db.create(table: ApprovalRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("namespace_id", .text).notNull().indexed()
                    .references(NamespaceRecord.databaseTableName, column: "id", onDelete: .cascade)
                t.column("title", .text).notNull()
                t.column("payload_json", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: DocumentRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("namespace_id", .text).notNull().indexed()
                    .references(NamespaceRecord.databaseTableName, column: "id", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("content", .blob).notNull()
                t.column("size", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
        }

        migrator.registerMigration("v2-event-deliveries") { db in
            try db.create(table: EventDeliveryRecord.databaseTableName) { t in
                // The stable delivery id every attempt carries.
                t.primaryKey("id", .text)
                t.column("namespace_id", .text).notNull()
                    .references(NamespaceRecord.databaseTableName, column: "id", onDelete: .cascade)
                t.column("plugin_id", .text).notNull()
                t.column("event", .text).notNull()
                t.column("payload_json", .text).notNull()
                t.column("occurred_at", .datetime).notNull()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull()
                t.column("next_attempt_at", .datetime).notNull()
                t.column("last_error", .text)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("sequence", .integer).notNull()
            }
            try db.create(index: "event_deliveries_due", on: EventDeliveryRecord.databaseTableName, columns: ["status", "next_attempt_at"])
            try db.create(index: "event_deliveries_install_order", on: EventDeliveryRecord.databaseTableName, columns: ["namespace_id", "plugin_id", "sequence"])
            // The worker's "oldest undelivered of this install" lookup, without scanning delivered history.
            try db.execute(sql: """
                CREATE INDEX event_deliveries_undelivered ON event_deliveries(namespace_id, plugin_id, sequence)
                WHERE status IN ('pending', 'failed')
                """)
        }

        migrator.registerMigration("v3-install-parallel-delivery") { db in
            try db.alter(table: NamespacePluginRecord.databaseTableName) { t in
                // Opt-in: the install's deliveries may go out concurrently, not one at a time in order.
                t.add(column: "parallel_delivery", .boolean).notNull().defaults(to: false)
            }
        }

        migrator.registerMigration("v3-plugin-settings") { db in
            try db.create(table: PluginSettingRecord.databaseTableName) { t in
                t.primaryKey("plugin_id", .text)
                // The operator's override of the isolation policy; NULL follows the default.
                t.column("isolation", .text).check(sql: "isolation IN ('inprocess', 'process')")
                t.column("updated_at", .datetime).notNull()
            }
        }

        return migrator
    }
}
