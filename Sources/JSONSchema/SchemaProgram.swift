import AgentCoreJSON

/// A compiled schema: every subschema as a node in one array, linked by index.
///
/// Nodes refer to each other by index rather than by reference so that
/// recursive schemas (`$ref: "#"`) need no reference cycles, and the whole
/// program is a plain immutable value that threads can share.
struct SchemaProgram: Sendable {
    var nodes: [SchemaNode]
    /// Schema resources (`$id` scopes); `$dynamicRef` looks anchors up here.
    var resources: [SchemaResource]
    var root: Int
    /// True when some schema uses `unevaluatedProperties`/`unevaluatedItems`,
    /// so evaluation must track which properties and items were evaluated.
    var tracksEvaluated: Bool
    /// True when some `$dynamicRef` can resolve dynamically, so evaluation
    /// must keep the dynamic scope.
    var usesDynamicScope: Bool
}

/// One schema resource: the subschema with an `$id` (or a document root).
struct SchemaResource: Sendable {
    var uri: String
    /// `$dynamicAnchor` name → node index.
    var dynamicAnchors: [String: Int]
}

/// One compiled subschema.
struct SchemaNode: Sendable {
    /// `true`/`false` for boolean schemas, nil for object schemas.
    var constant: Bool?
    /// Assertions and applicators in evaluation order (unevaluated* last).
    var keywords: [CompiledKeyword]
    /// Where the subschema is in its document.
    var location: JSONPointer
    /// Index of the resource the node belongs to.
    var resource: Int
    /// Annotations used by `applyingDefaults`/`writeOnlyPaths`.
    var defaultValue: JSONValue?
    var writeOnly: Bool
    var title: String?
    var description: String?

    static func placeholder(location: JSONPointer, resource: Int) -> SchemaNode {
        SchemaNode(
            constant: true, keywords: [], location: location, resource: resource,
            defaultValue: nil, writeOnly: false, title: nil, description: nil)
    }
}

/// A keyword with the schema location it came from (for error reports).
struct CompiledKeyword: Sendable {
    var keyword: Keyword
    var schemaPath: JSONPointer
}

/// The JSON Schema primitive types, as a bit set.
struct JSONTypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = JSONTypeSet(rawValue: 1 << 0)
    static let boolean = JSONTypeSet(rawValue: 1 << 1)
    static let object = JSONTypeSet(rawValue: 1 << 2)
    static let array = JSONTypeSet(rawValue: 1 << 3)
    static let number = JSONTypeSet(rawValue: 1 << 4)
    static let string = JSONTypeSet(rawValue: 1 << 5)
    static let integer = JSONTypeSet(rawValue: 1 << 6)

    /// In the order messages list them.
    static let names: [(String, JSONTypeSet)] = [
        ("string", .string), ("number", .number), ("integer", .integer), ("boolean", .boolean),
        ("object", .object), ("array", .array), ("null", .null),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        guard let entry = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = entry.1
    }

    func contains(typeOf value: JSONValue) -> Bool {
        switch value {
        case .null: contains(.null)
        case .bool: contains(.boolean)
        case .string: contains(.string)
        case .array: contains(.array)
        case .object: contains(.object)
        case .number(let number): contains(.number) || (contains(.integer) && number.isInteger)
        }
    }
}

/// A compiled keyword. Node indices point into `SchemaProgram.nodes`.
enum Keyword: Sendable {
    case type(JSONTypeSet)
    case enumeration([JSONValue])
    case constant(JSONValue)
    case minimum(JSONNumber, exclusive: Bool)
    case maximum(JSONNumber, exclusive: Bool)
    case multipleOf(DecimalDivisor)
    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)
    case format(StringFormat)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required([String])
    case dependentRequired([(property: String, required: [String])])
    /// `properties`, `patternProperties` and `additionalProperties` together.
    case members(MembersKeyword)
    case propertyNames(Int)
    case dependentSchemas([(property: String, node: Int)])
    case prefixItems([Int])
    case items(node: Int, prefixCount: Int)
    case contains(ContainsKeyword)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case ref(Int)
    /// A `$dynamicRef`: `anchor` is set when it resolves dynamically.
    case dynamicRef(node: Int, anchor: String?)
    case unevaluatedProperties(Int)
    case unevaluatedItems(Int)
}

/// The `properties`, `patternProperties` and `additionalProperties` of one
/// schema, applied in a single pass over the instance's members so that each
/// member name is hashed once.
struct MembersKeyword: Sendable {
    var properties: [String: Int]
    var patterns: [(regex: ECMARegex, node: Int)]
    var additional: Int?
    /// True for `additionalProperties: false`, reported per property name.
    var additionalIsFalse: Bool
    var additionalPath: JSONPointer?
}

struct ContainsKeyword: Sendable {
    var node: Int
    var minimum: Int
    var maximum: Int?
    /// Where `minContains`/`maxContains` are, for errors that name them.
    var minPath: JSONPointer?
    var maxPath: JSONPointer?
}
