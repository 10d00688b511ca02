import Foundation

/// A `pattern`/`patternProperties` regex with ECMA-262 semantics, run by ICU.
///
/// JSON Schema patterns are ECMA-262 regexes (with Unicode semantics, as the
/// test suite expects). They are translated into ICU syntax and compiled once
/// with `NSRegularExpression`, which is `Sendable` and faster here than Swift's
/// `Regex` (which is not `Sendable`). The translation makes these behave as in
/// ECMA-262:
/// - `\d`, `\w`, `\b` (and `\D`, `\W`, `\B`) are ASCII-only; `\s`/`\S` use
///   ECMA-262's WhiteSpace and LineTerminator set (ICU's differs: it has U+0085
///   and lacks U+FEFF).
/// - `$` matches only at the very end (ICU also matches before a final line
///   terminator); `.` excludes exactly `\n`, `\r`, U+2028 and U+2029.
/// - `\v`, `\0`, `\u{…}`, surrogate-pair `\uXXXX\uXXXX`, `[^]`, `[]`, and a
///   `{` that does not start a quantifier are rewritten; `[` and `&` inside a
///   class are escaped because ICU reads them as set operations.
///
/// Known gaps (ICU, not ECMA-262): lookbehind must have a bounded length;
/// `\p{…}` accepts ICU's property names (a superset of ECMA-262's, e.g.
/// `\p{digit}`); the non-Unicode-mode Annex B oddities (octal escapes, `\8`)
/// are not emulated. Case-insensitive or multiline flags cannot be expressed
/// in JSON Schema and are not involved.
struct ECMARegex: Sendable {
    let source: String
    private let expression: NSRegularExpression

    /// - Throws: `ECMARegex.SyntaxError` when the pattern is not valid ECMA-262 (Unicode mode).
    init(_ source: String) throws(SyntaxError) {
        self.source = source
        let translated = try Self.translate(source)
        do {
            expression = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw SyntaxError(pattern: source)
        }
    }

    struct SyntaxError: Error {
        let pattern: String
    }

    /// True when the pattern matches anywhere in `string` (patterns are not anchored).
    func matches(_ string: String) -> Bool {
        let length = string.utf16.count
        return expression.firstMatch(in: string, options: [], range: NSRange(location: 0, length: length)) != nil
    }

    // MARK: Translation

    private static let whitespace =
        "\\t\\n\\x{B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"
    private static let word = "A-Za-z0-9_"
    private static let wordBoundary = "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
    private static let notWordBoundary = "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))"

    /// Rewrites ECMA-262 syntax into ICU syntax with the same meaning (see the type's doc).
    ///
    /// - Throws: `SyntaxError` for syntax ECMA-262 (Unicode mode) refuses but
    ///   ICU would accept: unknown letter escapes (`\a`, `\z`), group
    ///   modifiers other than `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`
    ///   (so no `(?i)`, `(?P<n>`, `(?#`), and possessive or doubled quantifiers.
    static func translate(_ pattern: String) throws(SyntaxError) -> String {
        let scalars = Array(pattern.unicodeScalars)
        var out = ""
        var index = 0
        var inClass = false
        var classStart = false  // just after '[' or '[^'
        // 0: not after a quantifier; 1: after one; 2: after a lazy `?`.
        var quantifierState = 0

        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                quantifierState = 0
                guard let next = peek(1) else { throw SyntaxError(pattern: pattern) }
                index += 2
                switch next {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += "[^0-9]"
                case "w": out += inClass ? word : "[\(word)]"
                case "W": out += "[^\(word)]"
                case "s": out += inClass ? whitespace : "[\(whitespace)]"
                case "S": out += "[^\(whitespace)]"
                case "b": out += inClass ? "\\x{8}" : wordBoundary
                case "B":
                    guard !inClass else { throw SyntaxError(pattern: pattern) }
                    out += notWordBoundary
                case "v": out += "\\x{B}"
                case "0" where !(peek(0).map { ("0"..."9").contains($0) } ?? false):
                    out += "\\x{0}"
                case "u":
                    guard let (value, length) = unicodeEscape(scalars, at: index) else {
                        throw SyntaxError(pattern: pattern)
                    }
                    index += length
                    out += "\\x{\(String(value, radix: 16))}"
                case "x":
                    guard let high = peek(0), let low = peek(1), high.isASCII, low.isASCII,
                        SchemaURI.hexValue(UInt8(high.value)) != nil, SchemaURI.hexValue(UInt8(low.value)) != nil
                    else { throw SyntaxError(pattern: pattern) }
                    out += "\\x{\(Character(high))\(Character(low))}"
                    index += 2
                case "c":
                    guard let letter = peek(0), letter.isASCII, ("a"..."z").contains(letter) || ("A"..."Z").contains(letter)
                    else { throw SyntaxError(pattern: pattern) }
                    index += 1
                    out += "\\x{\(String(letter.value & 0x1F, radix: 16))}"
                case "p", "P":
                    // `\p{Name}` / `\p{Name=Value}`: copied whole so its braces are not escaped.
                    guard peek(0) == "{", let close = scalars[index...].firstIndex(of: "}") else {
                        throw SyntaxError(pattern: pattern)
                    }
                    out += "\\"
                    out.unicodeScalars.append(next)
                    out.unicodeScalars.append(contentsOf: scalars[index...close])
                    index = close + 1
                case "f", "n", "r", "t", "k", "1"..."9":
                    out += "\\"
                    out.unicodeScalars.append(next)
                default:
                    // Letters and digits have no other escape meaning in Unicode mode.
                    guard !next.properties.isAlphabetic, !("0"..."9").contains(next) else {
                        throw SyntaxError(pattern: pattern)
                    }
                    out += "\\"
                    out.unicodeScalars.append(next)
                }
                classStart = false
                continue
            }
            if inClass {
                switch scalar {
                case "]" where !classStart:
                    inClass = false
                    out += "]"
                case "]":
                    // ECMA-262 `[]` matches nothing and `[^]` anything; ICU would read ']' literally.
                    let negated = out.hasSuffix("[^")
                    out.removeLast(negated ? 2 : 1)
                    out += negated ? "(?s:.)" : "(?!)"
                    inClass = false
                case "[", "&":
                    out += "\\"
                    out.unicodeScalars.append(scalar)
                case "-" where classStart:
                    out += "\\-"
                default:
                    out.unicodeScalars.append(scalar)
                }
                classStart = false
                index += 1
                continue
            }
            switch scalar {
            case "*", "+":
                guard quantifierState == 0 else { throw SyntaxError(pattern: pattern) }
                quantifierState = 1
                out.unicodeScalars.append(scalar)
                index += 1
                continue
            case "?":
                guard quantifierState != 2 else { throw SyntaxError(pattern: pattern) }
                quantifierState = quantifierState == 1 ? 2 : 1
                out += "?"
                index += 1
                continue
            case "{":
                if let end = quantifierEnd(scalars, at: index) {
                    guard quantifierState == 0 else { throw SyntaxError(pattern: pattern) }
                    // Copy `{n}`, `{n,}` or `{n,m}` whole.
                    out.unicodeScalars.append(contentsOf: scalars[index...end])
                    index = end + 1
                    quantifierState = 1
                    continue
                }
                out += "\\{"
            case "}":
                out += "\\}"
            case "(":
                if peek(1) == "?" {
                    guard let modifier = groupModifier(scalars, at: index + 2) else { throw SyntaxError(pattern: pattern) }
                    out += "(?" + modifier
                    index += 2 + modifier.unicodeScalars.count
                    quantifierState = 0
                    continue
                }
                out += "("
            case "[":
                inClass = true
                classStart = true
                if peek(1) == "^" {
                    out += "[^"
                    index += 2
                    quantifierState = 0
                    continue
                }
                out += "["
            case "$":
                out += "(?![\\s\\S])"
            case ".":
                out += "[^\\n\\r\\x{2028}\\x{2029}]"
            default:
                out.unicodeScalars.append(scalar)
            }
            quantifierState = 0
            index += 1
        }
        guard !inClass else { throw SyntaxError(pattern: pattern) }
        return out
    }

    /// The text after `(?` when it is an ECMA-262 group modifier: `:`, `=`, `!`, `<=`, `<!` or `<name>`.
    private static func groupModifier(_ scalars: [Unicode.Scalar], at index: Int) -> String? {
        guard index < scalars.count else { return nil }
        switch scalars[index] {
        case ":", "=", "!":
            return String(Character(scalars[index]))
        case "<":
            guard index + 1 < scalars.count else { return nil }
            if scalars[index + 1] == "=" || scalars[index + 1] == "!" {
                return "<" + String(Character(scalars[index + 1]))
            }
            var end = index + 1
            while end < scalars.count, scalars[end] == "_" || scalars[end] == "$" || scalars[end].properties.isAlphabetic
                || ("0"..."9").contains(scalars[end])
            {
                end += 1
            }
            guard end > index + 1, end < scalars.count, scalars[end] == ">" else { return nil }
            return String(String.UnicodeScalarView(scalars[index...end]))
        default:
            return nil
        }
    }

    /// `\uXXXX`, a surrogate pair `\uXXXX\uXXXX`, or `\u{X…}` starting at `index` (just after `\u`).
    private static func unicodeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> (UInt32, Int)? {
        func hex(_ start: Int, _ count: Int) -> UInt32? {
            guard start + count <= scalars.count else { return nil }
            var value: UInt32 = 0
            for scalar in scalars[start..<(start + count)] {
                guard scalar.isASCII, let digit = SchemaURI.hexValue(UInt8(scalar.value)) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        if index < scalars.count, scalars[index] == "{" {
            var end = index + 1
            while end < scalars.count, scalars[end] != "}" { end += 1 }
            guard end < scalars.count, end > index + 1, end - index - 1 <= 6,
                let value = hex(index + 1, end - index - 1)
            else { return nil }
            return (value, end - index + 1)
        }
        guard let high = hex(index, 4) else { return nil }
        if (0xD800...0xDBFF).contains(high), index + 6 <= scalars.count, scalars[index + 4] == "\\",
            scalars[index + 5] == "u", let low = hex(index + 6, 4), (0xDC00...0xDFFF).contains(low)
        {
            return (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), 10)
        }
        return (high, 4)
    }

    /// The index of the `}` closing a quantifier `{n}`, `{n,}` or `{n,m}` that starts at `index`.
    private static func quantifierEnd(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        var cursor = index + 1
        var digits = 0
        while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) {
            cursor += 1
            digits += 1
        }
        guard digits > 0, cursor < scalars.count else { return nil }
        if scalars[cursor] == "}" { return cursor }
        guard scalars[cursor] == "," else { return nil }
        cursor += 1
        while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { cursor += 1 }
        return cursor < scalars.count && scalars[cursor] == "}" ? cursor : nil
    }
}
