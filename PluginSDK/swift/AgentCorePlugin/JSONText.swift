#if canImport(FoundationEssentials)
internal import FoundationEssentials  // JSONEncoder/JSONDecoder without ICU: a smaller library to load
#else
internal import Foundation
#endif

/// A piece of JSON text: what crosses the ABI as config, event, tool input and output.
///
/// The text is kept exactly as given, so a plugin can forward JSON it
/// received byte for byte (a webhook body, for instance) without re-encoding it.
public struct JSONText: Sendable, Hashable, CustomStringConvertible {
    /// The JSON text, UTF-8.
    public let text: String

    /// Wraps JSON text as is. The host validates every output and reports a
    /// hook whose output is not JSON as an error.
    public init(_ text: String) {
        self.text = text
    }

    /// Encodes a value as compact JSON with sorted keys and unescaped slashes.
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A JSON string literal for `value`, quoted and escaped (RFC 8259).
    public static func string(_ value: String) -> JSONText {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return JSONText(out)
    }

    /// JSON `null`.
    public static let null = JSONText("null")

    /// Decodes the text into `type`.
    /// - Throws: `PluginError.invalidInput` naming the path of the value that did not fit.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw PluginError.invalidInput(Self.describe(error))
        }
    }

    /// The exact text of a top-level member of this JSON object, or nil when
    /// the text is not an object or has no such member.
    public func member(_ key: String) -> JSONText? {
        var scanner = JSONScanner(Array(text.utf8))
        guard let span = scanner.objectMember(key) else { return nil }
        return JSONText(String(decoding: scanner.bytes[span], as: UTF8.self))
    }

    public var description: String { text }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let tokens = codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return tokens.isEmpty ? "/" : "/" + tokens.joined(separator: "/")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath)): missing required property '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Finds the span of a member in JSON text without building a tree, so the
/// member's bytes can be forwarded unchanged. Assumes valid JSON (the host
/// validates what it passes); returns nil rather than trapping when it is not.
struct JSONScanner {
    let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The byte range of the value of `key` in the top-level object.
    mutating func objectMember(_ key: String) -> Range<Int>? {
        index = 0
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return nil }
        while true {
            skipWhitespace()
            guard let name = readString() else { return nil }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            let start = index
            guard skipValue() else { return nil }
            if name == key { return start..<index }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return nil
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// Reads a string at the cursor and decodes its escapes.
    private mutating func readString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var scalars = String.UnicodeScalarView()
        var pendingHigh: UInt32?
        var run: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                flush()
                return String(scalars)
            }
            guard byte == UInt8(ascii: "\\") else {
                run.append(byte)
                continue
            }
            flush()
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            let simple: UInt8? = switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escape
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
            if let simple {
                run.append(simple)
                continue
            }
            guard escape == UInt8(ascii: "u"), index + 4 <= bytes.count,
                  let unit = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { return nil }
            index += 4
            if (0xD800..<0xDC00).contains(unit) {
                pendingHigh = unit
            } else if (0xDC00..<0xE000).contains(unit), let high = pendingHigh {
                pendingHigh = nil
                let value = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            } else {
                scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
            }
        }
        return nil
    }

    /// Moves the cursor past one value of any kind.
    private mutating func skipValue() -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default:
                    break
                }
                index += 1
            }
            return false
        default:
            // number, true, false, null
            let start = index
            while index < bytes.count,
                  ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index > start
        }
    }

    private mutating func skipString() -> Bool {
        index += 1  // opening quote
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return true
            default: index += 1
            }
        }
        return false
    }
}
