/// A JSON Pointer (RFC 6901): the path of a value inside a document, such as `/events/0`.
public struct JSONPointer: Sendable, Hashable {
    /// Unescaped reference tokens; empty for the whole document.
    public var tokens: [String]

    /// The pointer to the whole document.
    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses pointer text (`""` or `/a/b~1c`).
    ///
    /// - Throws: `JSONParseError` when the text does not start with `/` or has a bad `~` escape.
    public init(parsing text: String) throws(JSONParseError) {
        if text.isEmpty {
            self.tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw JSONParseError(offset: 0, message: "a JSON Pointer starts with '/'")
        }
        var tokens: [String] = []
        var offset = 1
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                if character == "~" {
                    switch iterator.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: throw JSONParseError(offset: offset, message: "'~' must be followed by 0 or 1")
                    }
                } else {
                    token.append(character)
                }
            }
            offset += raw.utf8.count + 1
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// This pointer extended by an object member name.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// This pointer extended by an array index.
    public func appending(_ index: Int) -> JSONPointer {
        JSONPointer(tokens: tokens + [String(index)])
    }

    /// True for the pointer to the whole document.
    public var isRoot: Bool { tokens.isEmpty }
}

extension JSONPointer: CustomStringConvertible {
    /// The RFC 6901 text: `""` for the root, otherwise `/token/...` with `~0`/`~1` escapes.
    public var description: String {
        var text = ""
        for token in tokens {
            text += "/"
            text += token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }
        return text
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

extension JSONValue {
    /// The value at `pointer`, or nil when any step does not exist.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = JSONValue.arrayIndex(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A copy with the value at `pointer` replaced (or added, for a missing
    /// object member). Unchanged when the parent of `pointer` does not exist
    /// or an array index is out of range.
    public func replacing(at pointer: JSONPointer, with value: JSONValue) -> JSONValue {
        replacing(tokens: pointer.tokens[...], with: value)
    }

    /// A copy without the object member or array element at `pointer`;
    /// unchanged when it does not exist.
    public func removing(at pointer: JSONPointer) -> JSONValue {
        guard let last = pointer.tokens.last else { return self }
        let parentPointer = JSONPointer(tokens: Array(pointer.tokens.dropLast()))
        guard let parent = self[parentPointer] else { return self }
        switch parent {
        case .object(var members):
            guard members.removeValue(forKey: last) != nil else { return self }
            return replacing(at: parentPointer, with: .object(members))
        case .array(var elements):
            guard let index = JSONValue.arrayIndex(last), elements.indices.contains(index) else { return self }
            elements.remove(at: index)
            return replacing(at: parentPointer, with: .array(elements))
        default:
            return self
        }
    }

    private func replacing(tokens: ArraySlice<String>, with value: JSONValue) -> JSONValue {
        guard let token = tokens.first else { return value }
        let rest = tokens.dropFirst()
        switch self {
        case .object(var members):
            if let child = members[token] {
                members[token] = child.replacing(tokens: rest, with: value)
            } else if rest.isEmpty {
                members[token] = value
            } else {
                return self
            }
            return .object(members)
        case .array(var elements):
            guard let index = JSONValue.arrayIndex(token), elements.indices.contains(index) else { return self }
            elements[index] = elements[index].replacing(tokens: rest, with: value)
            return .array(elements)
        default:
            return self
        }
    }

    /// A decimal array index without leading zeros, as RFC 6901 requires.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token == "0" || !token.hasPrefix("0"), token.utf8.allSatisfy(JSONNumber.isDigit)
        else { return nil }
        return Int(token)
    }
}
