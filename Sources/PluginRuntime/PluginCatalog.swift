/// What the runtime has loaded: the serving version of each plugin, the directory files it
/// came from, the files refused, and older versions still draining.
struct PluginCatalog {
    /// The serving version of each plugin.
    var byId: [String: LoadedPlugin] = [:]
    /// Directory files and the plugin id each one serves.
    var idByPath: [String: String] = [:]
    /// The signature of every directory file as last loaded or refused (what the watcher compares).
    var signatures: [String: FileSignature] = [:]
    /// Refused files by path: never loaded, or a newer version refused while the old one serves.
    var failures: [String: PluginLoadFailure] = [:]
    /// Replaced or removed versions, until their last call and instance are gone.
    private var retired: [RetiredPlugin] = []

    private struct RetiredPlugin {
        let id: String
        weak var plugin: LoadedPlugin?
    }

    mutating func replaceAll(with result: PluginLoader.Result, signatures: [String: FileSignature]) {
        byId = Dictionary(result.plugins.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        idByPath = [:]
        for plugin in result.plugins where plugin.info.source == .directory {
            idByPath[plugin.info.path] = plugin.id
        }
        failures = Dictionary(result.failures.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
        self.signatures = signatures
    }

    mutating func retire(_ plugin: LoadedPlugin) {
        retired.removeAll { $0.plugin == nil }
        retired.append(RetiredPlugin(id: plugin.id, plugin: plugin))
    }

    /// Older versions of `id` still open (calls or instances not yet finished).
    func retiredCount(id: String) -> Int {
        retired.filter { $0.id == id && $0.plugin != nil }.count
    }

    var retiredPlugins: [LoadedPlugin] {
        retired.compactMap(\.plugin)
    }
}
