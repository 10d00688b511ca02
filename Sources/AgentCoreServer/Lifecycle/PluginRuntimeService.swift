import PluginRuntime
import ServiceLifecycle

/// Keeps the plugin runtime alive for the server's lifetime; on graceful
/// shutdown (after the HTTP server and the event delivery have stopped)
/// destroys every instance and stops the plugin threads.
struct PluginRuntimeService: Service {
    let runtime: PluginRuntime

    func run() async throws {
        try? await gracefulShutdown()
        await runtime.shutdown()
    }
}
