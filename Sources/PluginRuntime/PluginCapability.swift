/// A capability a plugin declares in its descriptor; each one is backed by its hooks.
public enum PluginCapability: String, Sendable, Hashable, CaseIterable, Codable {
    /// `on_agent_query`: enriches an agent's query.
    case agentQuery = "agent_query"
    /// `on_approval_created`: receives `approval.created` events.
    case approvalHook = "approval_hook"
    /// `on_document_ready`: receives `document.ready` events.
    case documentHook = "document_hook"
    /// One or more tools an agent can call.
    case tools
}
