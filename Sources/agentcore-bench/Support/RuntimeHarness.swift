import Logging
import PluginRuntime

/// An in-process `PluginRuntime` over one plugin directory and an in-memory install source,
/// driven only through the runtime's public API.
struct RuntimeHarness: Sendable {
    let runtime: PluginRuntime
    let source: InMemoryInstallSource

    /// Loads the plugins of `pluginDirectory` (and the built-ins of `builtinDirectory`, none by default).
    /// - Throws: when a plugin failed to load (the figures would be of another setup).
    static func start(
        _ environment: BenchEnvironment, pluginDirectory: String, builtinDirectory: String? = nil,
        isolation: IsolationMode = .inProcess
    ) async throws -> RuntimeHarness {
        var configuration = PluginRuntimeConfiguration(
            builtinDirectory: try builtinDirectory ?? environment.directory("no-builtins"),
            pluginDirectories: [pluginDirectory]
        )
        isolation.apply(to: &configuration, environment: environment)
        let source = InMemoryInstallSource()
        let runtime = PluginRuntime(
            configuration: configuration, installSource: source, keyValueStore: InMemoryKeyValueStore(),
            logger: Self.quietLogger
        )
        await runtime.loadPlugins()
        if let failure = runtime.loadFailures.first {
            await runtime.shutdown()
            throw BenchError("plugin failed to load: \(failure)")
        }
        return RuntimeHarness(runtime: runtime, source: source)
    }

    func shutdown() async {
        await runtime.shutdown()
    }

    /// Errors only: the runtime logs a line per load, which would interleave with the table.
    static let quietLogger: Logger = {
        var logger = Logger(label: "agentcore-bench.runtime")
        logger.logLevel = .error
        return logger
    }()
}
