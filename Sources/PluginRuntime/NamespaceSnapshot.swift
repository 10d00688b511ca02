/// The enabled installs of one namespace as the registry cached them: an instance per
/// install, or why the install cannot run.
final class NamespaceSnapshot: Sendable {
    let namespaceId: String
    let departmentId: String
    /// Enabled installs by plugin id.
    let installs: [String: InstallSlot]
    /// Enabled, loaded installs whose plugin declared agent_query, sorted by plugin id.
    let queryTargets: [InstallSlot]
    /// Plugin ids of the enabled, loaded installs with approval_hook / document_hook, sorted:
    /// computed once here so that looking up an event's subscribers is a read.
    let approvalSubscribers: [String]
    let documentSubscribers: [String]
    /// When an install failed for a possibly transient reason (create error, timeout,
    /// saturation): the first lookup after this instant rebuilds the snapshot, reusing the
    /// instances that are fine.
    let retryAt: ContinuousClock.Instant?

    init(namespaceId: String, departmentId: String, installs: [String: InstallSlot], retryAt: ContinuousClock.Instant?) {
        self.namespaceId = namespaceId
        self.departmentId = departmentId
        self.installs = installs
        self.queryTargets = installs.values
            .filter { $0.plugin?.info.has(.agentQuery) == true }
            .sorted { $0.pluginId < $1.pluginId }
        func subscribers(_ capability: PluginCapability) -> [String] {
            installs.values.filter { $0.plugin?.info.has(capability) == true }.map(\.pluginId).sorted()
        }
        self.approvalSubscribers = subscribers(.approvalHook)
        self.documentSubscribers = subscribers(.documentHook)
        self.retryAt = retryAt
    }

    /// Plugin ids of the installs that receive `kind` events, sorted.
    func subscribers(of kind: PluginEventKind) -> [String] {
        switch kind {
        case .approvalCreated: approvalSubscribers
        case .documentReady: documentSubscribers
        }
    }

    /// The ready instances by plugin id (what a rebuild may reuse).
    var readyInstances: [String: PluginInstance] {
        installs.compactMapValues { slot in
            if case .ready(let instance) = slot.state { return instance }
            return nil
        }
    }
}

/// One enabled install in a snapshot.
struct InstallSlot: Sendable {
    enum State: Sendable {
        case ready(PluginInstance)
        /// The install cannot run: the status and message every call on it reports.
        case unavailable(PluginCallStatus, String, transient: Bool)
    }

    let pluginId: String
    /// nil when no loaded plugin has this id.
    let plugin: LoadedPlugin?
    let state: State
    let statistics: PluginStatisticsCounter
}
