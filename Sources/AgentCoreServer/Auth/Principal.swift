/// The caller of an API request, as its verified token describes it.
public struct Principal: Sendable, Hashable {
    /// The token's `sub` claim.
    public let subject: String
    /// Known permissions from the `permissions` claim; unknown strings are ignored.
    public let permissions: Set<Permission>
    /// A global caller sees every namespace.
    public let isGlobal: Bool
    /// Departments whose namespaces a non-global caller sees.
    public let departments: Set<String>

    public init(subject: String, permissions: Set<Permission>, isGlobal: Bool, departments: Set<String>) {
        self.subject = subject
        self.permissions = permissions
        self.isGlobal = isGlobal
        self.departments = departments
    }

    /// True when the caller may see namespaces of `departmentId`.
    public func canSee(departmentId: String) -> Bool {
        isGlobal || departments.contains(departmentId)
    }

    /// Managing a namespace's plugins needs canManagePlugins or canManageNamespaces.
    var canManagePlugins: Bool {
        permissions.contains(.canManagePlugins) || permissions.contains(.canManageNamespaces)
    }

    var canManageNamespaces: Bool {
        permissions.contains(.canManageNamespaces)
    }
}
