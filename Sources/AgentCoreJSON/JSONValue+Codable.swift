/// Codable bridge, for fixed-shape bodies (decoded with Foundation's coders)
/// that embed arbitrary JSON such as a plugin config.
///
/// Foundation's decoder hands numbers over as binary values, so a decimal that
/// went through it is only as exact as `Double`; integers are exact up to
/// 64 bits. Where exactness matters, parse with `JSONValue(parsing:)`.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .number(JSONNumber(integer))
        } else if let unsigned = try? container.decode(UInt64.self) {
            self = .number(JSONNumber(literal: String(unsigned))!)
        } else if let double = try? container.decode(Double.self) {
            self = .number(JSONNumber(double))
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(members)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number):
            if let integer = number.int64Value {
                try container.encode(integer)
            } else {
                try container.encode(number.doubleValue)
            }
        case .string(let string): try container.encode(string)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}
