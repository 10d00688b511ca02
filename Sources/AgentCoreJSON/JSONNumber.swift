/// A JSON number kept as an exact decimal.
///
/// JSON numbers are decimal text, and configs carry both money-like decimals
/// (`0.01`) and identifiers larger than 2^53. Holding the digits exactly makes
/// `multipleOf`, equality in `enum`/`const` and range checks exact, and keeps
/// large integers intact when a config is stored and served back.
///
/// The value is `(-1)^negative × digits × 10^exponent`, normalized so that
/// `digits` has no leading or trailing zeros (zero is `"0"`, exponent 0, not
/// negative). Normalization makes `==` and hashing JSON equality: `1`, `1.0`
/// and `10e-1` are the same number.
public struct JSONNumber: Sendable, Hashable {
    /// True for values below zero.
    public let isNegative: Bool
    /// Significant decimal digits as ASCII bytes, without leading or trailing zeros.
    public let digits: [UInt8]
    /// Power of ten applied to `digits`.
    public let exponent: Int

    /// Creates a number from already normalized parts.
    private init(normalizedNegative negative: Bool, digits: [UInt8], exponent: Int) {
        self.isNegative = negative
        self.digits = digits
        self.exponent = exponent
    }

    /// Creates a number from raw parts, normalizing them.
    init(negative: Bool, digits rawDigits: some Collection<UInt8>, exponent rawExponent: Int) {
        var digits = Array(rawDigits.drop(while: { $0 == UInt8(ascii: "0") }))
        var exponent = rawExponent
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty {
            self.init(normalizedNegative: false, digits: [UInt8(ascii: "0")], exponent: 0)
        } else {
            self.init(normalizedNegative: negative, digits: digits, exponent: exponent)
        }
    }

    /// An exact integer.
    public init(_ value: Int) {
        self.init(Int64(value))
    }

    /// An exact integer.
    public init(_ value: Int64) {
        let magnitude = value.magnitude
        self.init(negative: value < 0, digits: Array(String(magnitude).utf8), exponent: 0)
    }

    /// The shortest decimal that round-trips to `value`.
    ///
    /// - Precondition: `value` is finite; JSON has no NaN or infinity.
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON numbers are finite")
        // Swift's description is the shortest round-trip representation.
        self = JSONNumber(literal: "\(value)")!
    }

    /// Parses the JSON number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    ///
    /// Returns nil for anything else, including a leading `+`, leading zeros,
    /// `.5` or an exponent too large to represent.
    public init?(literal: String) {
        var text = literal
        let parsed = text.withUTF8 { JSONNumber.parse($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses a complete number literal from UTF-8 bytes; nil if malformed.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONNumber? {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let intStart = index
        while index < count, isDigit(bytes[index]) { index += 1 }
        let intEnd = index
        guard intEnd > intStart else { return nil }
        if bytes[intStart] == UInt8(ascii: "0"), intEnd - intStart > 1 { return nil }
        var fracStart = index
        var fracEnd = index
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fracStart = index
            while index < count, isDigit(bytes[index]) { index += 1 }
            fracEnd = index
            guard fracEnd > fracStart else { return nil }
        }
        var exponent = 0
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var expNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                expNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let expStart = index
            while index < count, isDigit(bytes[index]) {
                // Exponents beyond ±10^9 are not meaningful for configs; refuse them.
                guard exponent < 1_000_000_000 else { return nil }
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            guard index > expStart else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard index == count else { return nil }
        var digits = [UInt8]()
        digits.reserveCapacity(intEnd - intStart + fracEnd - fracStart)
        digits.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[intStart..<intEnd]))
        digits.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[fracStart..<fracEnd]))
        return JSONNumber(negative: negative, digits: digits, exponent: exponent - (fracEnd - fracStart))
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// True when the value has no fractional part (`1.0` is an integer).
    public var isInteger: Bool { exponent >= 0 }

    /// True for zero.
    public var isZero: Bool { digits == [UInt8(ascii: "0")] }

    /// The exact value as `Int64`, or nil if it is not an integer or out of range.
    public var int64Value: Int64? {
        guard isInteger, digits.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            magnitude = sum
        }
        for _ in 0..<exponent {
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = times
        }
        if isNegative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// The nearest `Double` (infinite when the magnitude exceeds Double's range).
    public var doubleValue: Double {
        var text = isNegative ? "-" : ""
        text += String(decoding: digits, as: UTF8.self)
        text += "e\(exponent)"
        return Double(text) ?? (isNegative ? -.infinity : .infinity)
    }

    /// Compares magnitudes, ignoring signs.
    static func compareMagnitude(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if a.isZero || b.isZero {
            return a.isZero ? (b.isZero ? 0 : -1) : 1
        }
        // The position of the most significant digit decides first.
        let aLead = a.digits.count + a.exponent
        let bLead = b.digits.count + b.exponent
        if aLead != bLead { return aLead < bLead ? -1 : 1 }
        let length = max(a.digits.count, b.digits.count)
        for i in 0..<length {
            let x = i < a.digits.count ? a.digits[i] : UInt8(ascii: "0")
            let y = i < b.digits.count ? b.digits[i] : UInt8(ascii: "0")
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}

extension JSONNumber: Comparable {
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.isNegative, rhs.isNegative) {
        case (true, false): return true
        case (false, true): return false
        case (false, false): return compareMagnitude(lhs, rhs) < 0
        case (true, true): return compareMagnitude(lhs, rhs) > 0
        }
    }
}

extension JSONNumber: CustomStringConvertible {
    /// Canonical JSON text: plain integers up to 64 digits, plain decimals for
    /// moderate exponents, otherwise scientific notation (`1.5e+30`).
    public var description: String {
        var out = isNegative ? "-" : ""
        let digitText = String(decoding: digits, as: UTF8.self)
        let lead = digits.count + exponent  // digits before the decimal point
        if exponent >= 0, lead <= 64 {
            out += digitText
            out += String(repeating: "0", count: exponent)
        } else if exponent < 0, lead > 0 {
            let split = digitText.index(digitText.startIndex, offsetBy: lead)
            out += digitText[..<split] + "." + digitText[split...]
        } else if exponent < 0, lead > -6 {
            out += "0." + String(repeating: "0", count: -lead) + digitText
        } else {
            out += String(digitText.prefix(1))
            if digits.count > 1 { out += "." + digitText.dropFirst() }
            let scientific = lead - 1
            out += scientific < 0 ? "e-\(-scientific)" : "e+\(scientific)"
        }
        return out
    }
}
