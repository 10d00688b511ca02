/// A permission a token may carry in its `permissions` claim.
public enum Permission: String, Sendable, CaseIterable {
    /// Install, configure and remove plugins in namespaces in scope.
    case canManagePlugins
    /// Create and delete namespaces (implies managing their plugins).
    case canManageNamespaces
}
