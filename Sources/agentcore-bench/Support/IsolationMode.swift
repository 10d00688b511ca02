import PluginRuntime

/// Where a plugin's code runs during a scenario: in the server's process (dlopen), or in an
/// `agentcore-plugin-host` child over a Unix socket (issue 5's process isolation).
///
/// Scenarios 2 and 8 run the same measurement in both modes; only this type knows how the
/// runtime is asked for each.
enum IsolationMode: String, Sendable, CaseIterable {
    case inProcess = "in-process"
    case process

    /// nil when the runtime can run plugins this way; otherwise why the measurement is not run.
    var unavailableReason: String? { nil }

    /// The runtime's name for the mode.
    var runtimeIsolation: PluginIsolation {
        switch self {
        case .inProcess: .inprocess
        case .process: .process
        }
    }

    /// `agentcore serve --directory-isolation <value>`.
    var serveFlag: String { runtimeIsolation.rawValue }

    /// Applies the mode to the runtime's configuration for directory plugins; children are
    /// started as `agentcore-plugin-host` from the bench's build directory.
    func apply(to configuration: inout PluginRuntimeConfiguration, environment: BenchEnvironment) {
        configuration.directoryIsolation = runtimeIsolation
        configuration.builtinIsolation = .inprocess
        configuration.pluginHost = PluginHostSettings(command: [environment.pluginHostPath])
    }
}
