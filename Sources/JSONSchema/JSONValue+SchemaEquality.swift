import AgentCoreJSON
import Foundation

extension JSONValue {
    /// JSON Schema equality: as `==`, except that strings compare by code points.
    ///
    /// Swift's `String` equality is canonical equivalence, under which "é"
    /// (U+00E9) equals "e" + U+0301; JSON Schema's `const`, `enum` and
    /// `uniqueItems` require those to differ. Object keys are compared as the
    /// dictionary holds them.
    func isSchemaEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.string(let lhs), .string(let rhs)):
            return Self.sameCodePoints(lhs, rhs)
        case (.array(let lhs), .array(let rhs)):
            guard lhs.count == rhs.count else { return false }
            for (left, right) in zip(lhs, rhs) where !left.isSchemaEqual(to: right) { return false }
            return true
        case (.object(let lhs), .object(let rhs)):
            guard lhs.count == rhs.count else { return false }
            for (key, left) in lhs {
                guard let right = rhs[key], left.isSchemaEqual(to: right) else { return false }
            }
            return true
        default:
            return self == other
        }
    }

    /// Code-point equality. `==` first: it is a byte comparison for the
    /// common (NFC) case and rejects most unequal strings at once; the byte
    /// check then rules out canonical equivalents spelled differently.
    static func sameCodePoints(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs == rhs, lhs.utf8.count == rhs.utf8.count else { return false }
        var left = lhs
        var right = rhs
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                leftBytes.isEmpty || memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, leftBytes.count) == 0
            }
        }
    }
}

/// A `JSONValue` hashed and compared with `isSchemaEqual`, for duplicate detection.
struct SchemaEqualityKey: Hashable {
    let value: JSONValue

    static func == (lhs: SchemaEqualityKey, rhs: SchemaEqualityKey) -> Bool {
        lhs.value.isSchemaEqual(to: rhs.value)
    }

    func hash(into hasher: inout Hasher) {
        // Coarse but consistent with isSchemaEqual: equal values always hash alike.
        switch value {
        case .string(let string):
            for byte in string.utf8 { hasher.combine(byte) }
        case .array(let items): hasher.combine(items.count)
        case .object(let members): hasher.combine(members.count)
        default: hasher.combine(value)
        }
    }
}
