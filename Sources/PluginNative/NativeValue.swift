/// `ac_type_t`: the value types of typed tool parameters and results.
public enum NativeValueType: UInt32, Sendable, Hashable {
    case void = 0, int64, int32, double, bool, string

    /// The JSON Schema type a value of this type is given as ("integer", "number", "boolean", "string"; "null" for void).
    public var jsonSchemaType: String {
        switch self {
        case .void: "null"
        case .int64, .int32: "integer"
        case .double: "number"
        case .bool: "boolean"
        case .string: "string"
        }
    }
}

/// A typed tool argument or result.
public enum NativeValue: Sendable, Hashable {
    case void
    case int64(Int64)
    case int32(Int32)
    case double(Double)
    case bool(Bool)
    case string(String)

    public var type: NativeValueType {
        switch self {
        case .void: .void
        case .int64: .int64
        case .int32: .int32
        case .double: .double
        case .bool: .bool
        case .string: .string
        }
    }
}
