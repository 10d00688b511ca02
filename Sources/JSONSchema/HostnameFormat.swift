/// The `hostname` format: RFC 1123 host names whose `xn--` labels are valid IDNA2008 A-labels.
///
/// An A-label is decoded with Punycode (RFC 3492) and the resulting U-label
/// checked against RFC 5891 §4.2.3 and the RFC 5892 derived properties,
/// which are computed from the Unicode properties the standard library
/// carries (general category, NFKC case folding stability, default
/// ignorables, combining class) plus the RFC's exception table. Known gaps:
/// the Bidi rule (RFC 5893) is not checked, and the ZERO WIDTH NON-JOINER
/// context rule uses a built-in approximation of Arabic joining types.
enum HostnameFormat {
    static func isHostname(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { isHostname(bytes: $0[...]) }
    }

    static func isHostname(bytes: FormatGrammar.Bytes) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard isLabel(label) else { return false }
        }
        return true
    }

    static func isLabel(_ label: FormatGrammar.Bytes) -> Bool {
        guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
            label.allSatisfy({ FormatGrammar.isAlpha($0) || FormatGrammar.isDigit($0) || $0 == UInt8(ascii: "-") })
        else { return false }
        let lowered = label.map { $0 | (FormatGrammar.isAlpha($0) ? 0x20 : 0) }
        if lowered.starts(with: Array("xn--".utf8)) {
            guard let decoded = Punycode.decode(lowered.dropFirst(4)) else { return false }
            return isULabel(decoded)
        }
        return true
    }

    // MARK: RFC 5891 §4.2.3 and RFC 5892

    static func isULabel(_ scalars: [Unicode.Scalar]) -> Bool {
        guard let first = scalars.first else { return false }
        // An A-label must decode to something beyond plain LDH text.
        if scalars.allSatisfy({ $0.isASCII }) { return false }
        if scalars.count >= 4, scalars[2] == "-", scalars[3] == "-" { return false }
        if first == "-" || scalars.last == "-" { return false }
        switch first.properties.generalCategory {
        case .spacingMark, .nonspacingMark, .enclosingMark: return false
        default: break
        }
        for (index, scalar) in scalars.enumerated() {
            switch derivedProperty(scalar) {
            case .pvalid: continue
            case .disallowed: return false
            case .contextJ: guard joinerContextHolds(at: index, in: scalars) else { return false }
            case .contextO: guard otherContextHolds(at: index, in: scalars) else { return false }
            }
        }
        return true
    }

    enum DerivedProperty { case pvalid, contextJ, contextO, disallowed }

    /// RFC 5892 §3 in its stated order of precedence.
    static func derivedProperty(_ scalar: Unicode.Scalar) -> DerivedProperty {
        let value = scalar.value
        // F: exceptions
        switch value {
        case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007: return .pvalid
        case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, 0x0660...0x0669, 0x06F0...0x06F9: return .contextO
        case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031...0x3035, 0x303B: return .disallowed
        default: break
        }
        let properties = scalar.properties
        // J: unassigned
        if properties.generalCategory == .unassigned { return .disallowed }
        // K: LDH
        if value == 0x2D || (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) { return .pvalid }
        // H: join controls
        if value == 0x200C || value == 0x200D { return .contextJ }
        // B: unstable; C: ignorable properties
        if properties.changesWhenNFKCCaseFolded || properties.isDefaultIgnorableCodePoint
            || properties.isWhitespace || properties.isNoncharacterCodePoint
        {
            return .disallowed
        }
        // D: ignorable blocks; I: old Hangul jamo
        switch value {
        case 0x20D0...0x20FF, 0x1D100...0x1D1FF, 0x1D200...0x1D24F: return .disallowed
        case 0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF: return .disallowed
        default: break
        }
        // A: letters and digits
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter, .nonspacingMark,
            .spacingMark:
            return .pvalid
        default:
            return .disallowed
        }
    }

    /// RFC 5892 Appendix A.1 and A.2.
    static func joinerContextHolds(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        if index > 0, scalars[index - 1].properties.canonicalCombiningClass.rawValue == 9 { return true }
        guard scalars[index].value == 0x200C else { return false }
        // (Joining_Type:{L,D})(Joining_Type:T)*\u200C(Joining_Type:T)*(Joining_Type:{R,D})
        var before = index - 1
        while before >= 0, joiningType(scalars[before]) == .transparent { before -= 1 }
        var after = index + 1
        while after < scalars.count, joiningType(scalars[after]) == .transparent { after += 1 }
        guard before >= 0, after < scalars.count else { return false }
        let left = joiningType(scalars[before])
        let right = joiningType(scalars[after])
        return (left == .left || left == .dual) && (right == .right || right == .dual)
    }

    enum JoiningType { case dual, right, left, transparent, none }

    /// Unicode's Joining_Type, approximated for the scripts that use ZWNJ
    /// contextually: Arabic-script letters are dual-joining except the
    /// right-joining ones listed, combining marks and format controls are
    /// transparent, everything else does not join.
    static func joiningType(_ scalar: Unicode.Scalar) -> JoiningType {
        let value = scalar.value
        switch value {
        case 0x0622...0x0625, 0x0627, 0x0629, 0x062F...0x0632, 0x0648, 0x0671...0x0673, 0x0675...0x0677,
            0x0688...0x0699, 0x06C0, 0x06C3...0x06CB, 0x06CD, 0x06CF, 0x06D2, 0x06D3, 0x06D5, 0x06EE, 0x06EF,
            0x0759...0x075B, 0x076B, 0x076C, 0x0771, 0x0773, 0x0774, 0x0778, 0x0779:
            return .right
        case 0x0620...0x064A, 0x066E...0x06D3, 0x06FA...0x06FF, 0x0750...0x077F, 0x08A0...0x08C9,
            0x0712...0x072F, 0x07CA...0x07EA:
            return .dual
        default:
            break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return .transparent
        default: return .none
        }
    }

    /// RFC 5892 Appendix A.3–A.9.
    static func otherContextHolds(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        switch scalars[index].value {
        case 0x00B7:
            return index > 0 && index + 1 < scalars.count && scalars[index - 1] == "l" && scalars[index + 1] == "l"
        case 0x0375:
            return index + 1 < scalars.count && isGreek(scalars[index + 1])
        case 0x05F3, 0x05F4:
            return index > 0 && isHebrew(scalars[index - 1])
        case 0x30FB:
            return scalars.contains { $0.value != 0x30FB && (isHiragana($0) || isKatakana($0) || isHan($0)) }
        case 0x0660...0x0669:
            return !scalars.contains { (0x06F0...0x06F9).contains($0.value) }
        case 0x06F0...0x06F9:
            return !scalars.contains { (0x0660...0x0669).contains($0.value) }
        default:
            return false
        }
    }

    static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0370...0x0373, 0x0375...0x0377, 0x037A...0x037D, 0x037F, 0x0384, 0x0386, 0x0388...0x03E1,
            0x03F0...0x03FF, 0x1D26...0x1D2A, 0x1F00...0x1FFE, 0x2126, 0xAB65, 0x10140...0x1018E:
            true
        default: false
        }
    }

    static func isHebrew(_ scalar: Unicode.Scalar) -> Bool {
        (0x0591...0x05F4).contains(scalar.value) || (0xFB1D...0xFB4F).contains(scalar.value)
    }

    static func isHiragana(_ scalar: Unicode.Scalar) -> Bool {
        (0x3041...0x309F).contains(scalar.value) || (0x1B001...0x1B11F).contains(scalar.value)
    }

    static func isKatakana(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30A1...0x30FA, 0x30FD...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0xFF66...0xFF6F,
            0xFF71...0xFF9D, 0x1B000:
            true
        default: false
        }
    }

    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FD5, 0x3005, 0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xF900...0xFAFF, 0x20000...0x3134F:
            true
        default: false
        }
    }
}

/// RFC 3492 Punycode decoding, for A-labels.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700

    /// Decodes the part of an A-label after `xn--`; nil when it is not valid Punycode.
    static func decode(_ input: ArraySlice<UInt8>) -> [Unicode.Scalar]? {
        var output: [Unicode.Scalar] = []
        var rest = input
        if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
            for byte in input[..<delimiter] {
                guard byte < 0x80 else { return nil }
                output.append(Unicode.Scalar(byte))
            }
            rest = input[(delimiter + 1)...]
        }
        var n = 0x80
        var i = 0
        var bias = 72
        var index = rest.startIndex
        while index < rest.endIndex {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard index < rest.endIndex, let digit = digitValue(rest[index]) else { return nil }
                index += 1
                let (step, overflow1) = digit.multipliedReportingOverflow(by: weight)
                let (sum, overflow2) = i.addingReportingOverflow(step)
                guard !overflow1, !overflow2, sum <= 0x7FFF_FFFF else { return nil }
                i = sum
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                let (nextWeight, overflow3) = weight.multipliedReportingOverflow(by: base - t)
                guard !overflow3 else { return nil }
                weight = nextWeight
                k += base
            }
            bias = adapt(delta: i - oldI, count: output.count + 1, first: oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0")) + 26
        default: nil
        }
    }

    private static func adapt(delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
