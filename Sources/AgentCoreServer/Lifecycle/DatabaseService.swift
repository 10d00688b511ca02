import AgentCoreStore
import Logging
import ServiceLifecycle

/// Closes the database last, once every other service has stopped.
struct DatabaseService: Service {
    let store: any DataStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try store.close()
            logger.info("database closed")
        } catch {
            logger.error("cannot close the database", metadata: ["error": .string(error.message)])
        }
    }
}
