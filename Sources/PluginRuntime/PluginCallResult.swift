public import AgentCoreJSON

/// How one plugin call ended.
public enum PluginCallStatus: String, Sendable, Codable {
    /// The hook succeeded; `data` holds its output (nil for "nothing to add").
    case ok
    /// The hook failed, or returned output that is not JSON; `error` says why.
    case error
    /// The hook did not return within the call timeout. In-process, its thread may still be
    /// busy; isolated, its plugin-host child was killed.
    case timeout
    /// The plugin's isolated host process died during the call (segfault, abort, exit);
    /// `error` names the signal. The next call gets a new process.
    case crashed
    /// The hook was not called: the plugin is saturated, or the install cannot run
    /// (config rejected by the schema); `error` says why.
    case skipped
}

/// The outcome of one plugin call: one entry of the `/query` results.
public struct PluginCallResult: Sendable {
    public let pluginId: String
    public let status: PluginCallStatus
    public let data: JSONValue?
    public let error: String?
    /// Wall time from dispatch to result, in milliseconds.
    public let durationMs: Double

    public init(pluginId: String, status: PluginCallStatus, data: JSONValue? = nil, error: String? = nil, durationMs: Double) {
        self.pluginId = pluginId
        self.status = status
        self.data = data
        self.error = error
        self.durationMs = durationMs
    }

    /// The result as JSON: `{pluginId, status, data?, error?, durationMs}`.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "pluginId": .string(pluginId),
            "status": .string(status.rawValue),
            // Microsecond precision is all a duration means; more digits are clock noise.
            "durationMs": .number(JSONNumber((durationMs * 1000).rounded() / 1000)),
        ]
        if let data { members["data"] = data }
        if let error { members["error"] = .string(error) }
        return .object(members)
    }
}
