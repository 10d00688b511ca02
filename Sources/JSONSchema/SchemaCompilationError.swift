public import AgentCoreJSON

/// Why a schema was refused: it is not valid JSON Schema, or cannot be resolved.
public struct SchemaCompilationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the schema document the problem is (the root for a parse error).
    public let schemaPath: JSONPointer
    /// What is wrong, such as `minLength must be a non-negative integer, got -1`.
    public let message: String

    public init(schemaPath: JSONPointer, message: String) {
        self.schemaPath = schemaPath
        self.message = message
    }

    /// `invalid schema at /properties/url/minLength: minLength must be ...`.
    public var description: String {
        "invalid schema at \(schemaPath.isRoot ? "/" : schemaPath.description): \(message)"
    }
}
