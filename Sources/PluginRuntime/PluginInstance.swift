import AgentCoreJSON
import PluginNative

/// A plugin's instance for one namespace, created from one validated config.
///
/// Reference-counted: the registry's cache holds one reference and every call in flight
/// holds another (its job captures the instance). When the last reference goes (the cache
/// dropped it and every call on it returned, including calls that timed out), `deinit` has
/// the plugin's `destroy` run on one of its threads; the context and the library stay alive
/// until `destroy` returns.
final class PluginInstance: Sendable {
    let plugin: LoadedPlugin
    let context: NativeContext
    let handle: InstanceHandle
    /// The config `create` received (validated, defaults applied).
    let config: JSONValue
    /// The install's config as stored, before validation and defaults: an install whose stored
    /// config is still this one reuses the instance without validating it again.
    let storedConfig: JSONValue

    init(plugin: LoadedPlugin, context: NativeContext, handle: InstanceHandle, config: JSONValue, storedConfig: JSONValue) {
        self.plugin = plugin
        self.context = context
        self.handle = handle
        self.config = config
        self.storedConfig = storedConfig
    }

    deinit {
        guard plugin.code.hasDestroy else { return }
        let plugin = plugin, handle = handle, context = context
        plugin.executor.runEventually {
            plugin.code.destroy(handle)
            withExtendedLifetime(context) {}
        }
    }
}
