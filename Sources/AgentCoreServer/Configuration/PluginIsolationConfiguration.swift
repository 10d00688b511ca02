public import PluginRuntime

/// How plugins are isolated, bounded, quarantined and watched (the `serve` flags).
public struct PluginIsolationConfiguration: Sendable {
    /// Isolation of built-ins unless overridden.
    public var builtinIsolation: PluginIsolation = .inprocess
    /// Isolation of directory plugins unless overridden.
    public var directoryIsolation: PluginIsolation = .process
    /// Per-plugin-id overrides from flags (the API's overrides, kept in the store, win).
    public var overrides: [String: PluginIsolation] = [:]
    /// Plugin-host child settings: memory and CPU limits.
    public var pluginHost = PluginHostSettings()
    public var quarantine = QuarantinePolicy()
    /// Hot load, reload and unload of the plugin directories.
    public var watchPluginDirectories = true

    public init() {}

    func apply(to configuration: inout PluginRuntimeConfiguration) {
        configuration.builtinIsolation = builtinIsolation
        configuration.directoryIsolation = directoryIsolation
        configuration.isolationOverrides = overrides
        configuration.pluginHost = pluginHost
        configuration.quarantine = quarantine
    }
}
