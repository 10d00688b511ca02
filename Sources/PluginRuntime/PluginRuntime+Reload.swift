import Foundation
import Logging

extension PluginRuntime {
    /// Starts watching the plugin directories for added, changed and removed plugins.
    public func startWatching() {
        guard !configuration.pluginDirectories.isEmpty else { return }
        let watcher = PluginDirectoryWatcher(
            runtime: self, directories: configuration.pluginDirectories, interval: configuration.watchInterval,
            stabilityDelay: configuration.watchStabilityDelay, logger: logger
        )
        let previous = self.watcher(replacingWith: watcher)
        previous?.stop()
        watcher.start()
    }

    /// Stops the directory watch (no load starts after this returns).
    public func stopWatching() {
        watcher(replacingWith: nil)?.stop()
    }

    /// Loads the file's current version and swaps it in for the version it serves, if it passes
    /// every check; otherwise the running version stays and the refusal is reported. Blocking:
    /// call from a thread of your own (the watcher's).
    func reloadDirectoryFile(_ path: String, signature: FileSignature) {
        let loader = makeLoader()
        let outcome: Result<LoadedPlugin, PluginLoadError>
        if let refusal = loader.safetyRefusal(path) {
            outcome = .failure(refusal)
        } else {
            do throws(PluginLoadError) {
                outcome = .success(try loader.load(path: path, source: .directory))
            } catch {
                outcome = .failure(error)
            }
        }
        switch outcome {
        case .failure(let error):
            let serving = catalog.withLock { catalog in
                catalog.signatures[path] = signature
                catalog.failures[path] = PluginLoadFailure(path: path, reason: error.reason)
                return catalog.idByPath[path]
            }
            if let serving {
                logger.error("plugin reload refused, the running version keeps serving: \(error.reason)", metadata: ["path": "\(path)", "pluginId": "\(serving)"])
            } else {
                logger.error("plugin not loaded: \(error.reason)", metadata: ["path": "\(path)"])
            }
        case .success(let plugin):
            install(plugin, from: path, signature: signature)
        }
    }

    private func install(_ plugin: LoadedPlugin, from path: String, signature: FileSignature) {
        enum Swap { case conflict(String), swapped(replaced: LoadedPlugin?, removedId: String?) }
        let swap: Swap = catalog.withLock { catalog in
            catalog.signatures[path] = signature
            if let other = catalog.byId[plugin.id], other.info.path != path {
                let reason = "duplicate plugin id \(plugin.id): already loaded from \(other.info.path)"
                catalog.failures[path] = PluginLoadFailure(path: path, reason: reason)
                return .conflict(reason)
            }
            var removedId: String?
            if let previousId = catalog.idByPath[path], previousId != plugin.id, let previous = catalog.byId.removeValue(forKey: previousId) {
                catalog.retire(previous)
                removedId = previousId
            }
            let replaced = catalog.byId[plugin.id]
            if let replaced { catalog.retire(replaced) }
            catalog.byId[plugin.id] = plugin
            catalog.idByPath[path] = plugin.id
            catalog.failures[path] = nil
            return .swapped(replaced: replaced, removedId: removedId)
        }
        switch swap {
        case .conflict(let reason):
            logger.error("plugin not loaded: \(reason)", metadata: ["path": "\(path)"])
        case .swapped(let replaced, let removedId):
            if let removedId { registry.replacePlugin(id: removedId, with: nil) }
            registry.replacePlugin(id: plugin.id, with: plugin)
            if let replaced {
                logger.notice("plugin reloaded", metadata: [
                    "pluginId": "\(plugin.id)", "from": "\(replaced.info.version)", "to": "\(plugin.info.version)",
                    "path": "\(path)", "isolation": "\(plugin.isolation.rawValue)",
                ])
            } else {
                logger.notice("plugin loaded", metadata: [
                    "pluginId": "\(plugin.id)", "version": "\(plugin.info.version)", "path": "\(path)",
                    "isolation": "\(plugin.isolation.rawValue)",
                ])
            }
        }
    }

    /// Unloads the plugin the (removed) file served: new calls no longer see it; calls in
    /// flight finish, then its instances are destroyed and its handle closed.
    func unloadDirectoryFile(_ path: String) {
        let removed: LoadedPlugin? = catalog.withLock { catalog in
            catalog.signatures[path] = nil
            catalog.failures[path] = nil
            guard let id = catalog.idByPath.removeValue(forKey: path), let plugin = catalog.byId.removeValue(forKey: id) else { return nil }
            catalog.retire(plugin)
            return plugin
        }
        guard let removed else { return }
        registry.replacePlugin(id: removed.id, with: nil)
        logger.notice("plugin unloaded: its file was removed", metadata: ["pluginId": "\(removed.id)", "path": "\(path)"])
    }

    // MARK: Operator controls

    /// Every loaded plugin with its isolation and state, sorted by id.
    public var statuses: [PluginStatus] {
        catalog.withLock { catalog in
            catalog.byId.values.sorted { $0.id < $1.id }.map { status(of: $0, in: catalog) }
        }
    }

    /// One loaded plugin's status, or nil.
    public func status(pluginId: String) -> PluginStatus? {
        catalog.withLock { catalog in catalog.byId[pluginId].map { status(of: $0, in: catalog) } }
    }

    private func status(of plugin: LoadedPlugin, in catalog: PluginCatalog) -> PluginStatus {
        let quarantine = plugin.health.quarantine
        return PluginStatus(
            info: plugin.info, isolation: plugin.isolation, state: quarantine == nil ? .active : .quarantined,
            quarantineReason: quarantine?.reason,
            reloadError: plugin.info.source == .directory ? catalog.failures[plugin.info.path]?.reason : nil,
            retiredVersions: catalog.retiredCount(id: plugin.id),
            processId: (plugin.code as? ProcessPluginCode)?.childPid
        )
    }

    /// Sets (or with nil clears) the plugin's isolation override and reloads it that way when
    /// its isolation changes. Calls in flight finish on the old version.
    /// - Returns: the plugin's status afterwards, or nil when no plugin has this id.
    /// - Throws: `PluginLoadError` when the plugin cannot be loaded the new way; the old
    ///   version and the old override stay.
    public func setIsolation(pluginId: String, to isolation: PluginIsolation?) async throws(PluginLoadError) -> PluginStatus? {
        guard let current = catalog.withLock({ $0.byId[pluginId] }) else { return nil }
        let previousOverride = setOverride(pluginId: pluginId, isolation)
        let wanted = isolation ?? (current.info.source == .builtin ? configuration.builtinIsolation : configuration.directoryIsolation)
        guard wanted != current.isolation else { return status(pluginId: pluginId) }
        let loader = makeLoader()
        let info = current.info
        let outcome = await runBlocking { () -> Result<LoadedPlugin, PluginLoadError> in
            do throws(PluginLoadError) {
                return .success(try loader.load(path: info.path, source: info.source, isolation: wanted))
            } catch {
                return .failure(error)
            }
        }
        let replacement: LoadedPlugin
        switch outcome {
        case .failure(let error):
            _ = setOverride(pluginId: pluginId, previousOverride)
            throw error
        case .success(let loaded):
            replacement = loaded
        }
        guard replacement.id == pluginId else {
            _ = setOverride(pluginId: pluginId, previousOverride)
            throw PluginLoadError(path: info.path, reason: "the file now holds plugin \(replacement.id), not \(pluginId)")
        }
        let swapped = catalog.withLock { catalog in
            guard catalog.byId[pluginId] === current else { return false }
            catalog.retire(current)
            catalog.byId[pluginId] = replacement
            return true
        }
        guard swapped else { return status(pluginId: pluginId) }
        registry.replacePlugin(id: pluginId, with: replacement)
        logger.notice("plugin isolation changed", metadata: [
            "pluginId": "\(pluginId)", "from": "\(current.isolation.rawValue)", "to": "\(wanted.rawValue)",
        ])
        return status(pluginId: pluginId)
    }

    /// Lifts a quarantine: calls run again (instances are created anew).
    /// - Returns: the status afterwards, or nil when no plugin has this id.
    public func reactivate(pluginId: String) -> PluginStatus? {
        guard let plugin = catalog.withLock({ $0.byId[pluginId] }) else { return nil }
        plugin.health.reactivate()
        registry.replacePlugin(id: pluginId, with: plugin)
        return status(pluginId: pluginId)
    }

    /// Quarantines a plugin by an operator's decision: its calls are skipped until re-activated.
    public func quarantine(pluginId: String, reason: String) -> PluginStatus? {
        guard let plugin = catalog.withLock({ $0.byId[pluginId] }) else { return nil }
        plugin.health.quarantine(reason: reason)
        return status(pluginId: pluginId)
    }
}
