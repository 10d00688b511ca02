public import AgentCoreJSON

/// One way an instance fails its schema.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// Where in the instance: `/events/0`, or the root for the whole document.
    public let instancePath: JSONPointer
    /// The failing keyword: `"enum"`, `"required"`, ...
    public let keyword: String
    /// Where the keyword is in the schema document (`/properties/events/items/enum`).
    ///
    /// The location is the keyword's own place in the document that holds it,
    /// so a failure reached through `$ref` points at the referenced definition.
    public let schemaPath: JSONPointer
    /// What to fix, such as `must be one of approval.created, document.ready`.
    public let message: String

    public init(instancePath: JSONPointer, keyword: String, schemaPath: JSONPointer, message: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
    }

    /// `PATH: message`, with the root path printed as `/`.
    public var description: String {
        "\(instancePath.isRoot ? "/" : instancePath.description): \(message)"
    }
}
