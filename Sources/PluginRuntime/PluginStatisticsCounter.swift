import Foundation
import Synchronization

/// The running counters of one (namespace, plugin).
final class PluginStatisticsCounter: Sendable {
    private let value = Mutex(PluginCallStatistics())

    func record(_ status: PluginCallStatus, error: String?) {
        value.withLock { statistics in
            statistics.calls += 1
            guard status != .ok else { return }
            statistics.failures += 1
            if status == .timeout { statistics.timeouts += 1 }
            statistics.lastError = error ?? status.rawValue
            statistics.lastErrorAt = Date()
        }
    }

    var current: PluginCallStatistics { value.withLock { $0 } }
}

/// Counters of every (namespace, plugin) seen since the runtime started.
final class PluginStatisticsBook: Sendable {
    private struct Key: Hashable {
        var namespaceId: String
        var pluginId: String
    }

    private let counters = Mutex<[Key: PluginStatisticsCounter]>([:])

    /// The counter of (namespace, plugin), created on first use.
    func counter(namespaceId: String, pluginId: String) -> PluginStatisticsCounter {
        let key = Key(namespaceId: namespaceId, pluginId: pluginId)
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = PluginStatisticsCounter()
            counters[key] = counter
            return counter
        }
    }

    func statistics(namespaceId: String, pluginId: String) -> PluginCallStatistics {
        counters.withLock { $0[Key(namespaceId: namespaceId, pluginId: pluginId)] }?.current ?? PluginCallStatistics()
    }
}
