import AgentCoreJSON

/// The divisor of a `multipleOf` keyword, prepared for exact decimal tests.
///
/// Floating point gets `19.99 / 0.01` wrong, so the test works on the exact
/// decimal parts that `JSONNumber` keeps. With `x = a × 10^p` and the divisor
/// `d = b × 10^q` (`a`, `b` without trailing zeros) and `b = 2^s × 5^t × c`
/// where `c` is coprime to 10, `x` is a multiple of `d` exactly when `p ≥ q`,
/// `c` divides `a`, and the powers of 2 and 5 in `a × 10^(p−q)` cover `s` and
/// `t`. That never expands `10^(p−q)`, so `1e308` against `0.5` costs nothing.
struct DecimalDivisor: Sendable {
    let value: JSONNumber
    private let exponent: Int
    private let twos: Int
    private let fives: Int
    private let coprime: BigUInt

    /// - Precondition: `value` is positive.
    init(_ value: JSONNumber) {
        self.value = value
        self.exponent = value.exponent
        var significand = BigUInt(decimalDigits: value.digits)
        var twos = 0
        while !significand.isZero, significand.divide(by: 2) == 0 { twos += 1 }
        significand = BigUInt(decimalDigits: value.digits)
        for _ in 0..<twos { _ = significand.divide(by: 2) }
        var fives = 0
        var probe = significand
        while !probe.isZero, probe.divide(by: 5) == 0 {
            fives += 1
            significand = probe
        }
        self.twos = twos
        self.fives = fives
        self.coprime = significand
    }

    /// True when `number` is an integer multiple of the divisor.
    func divides(_ number: JSONNumber) -> Bool {
        if number.isZero { return true }
        let shift = number.exponent - exponent
        guard shift >= 0 else { return false }
        // c | a
        if !coprime.isOne {
            if let small = coprime.uint64Value, number.digits.count <= 19 {
                guard Self.uint64(number.digits) % small == 0 else { return false }
            } else {
                guard BigUInt.remainder(ofDecimalDigits: number.digits, dividingBy: coprime).isZero else {
                    return false
                }
            }
        }
        // 2^s and 5^t divide a × 2^shift × 5^shift
        if twos > shift, Self.multiplicity(of: 2, in: number.digits, upTo: twos - shift) < twos - shift {
            return false
        }
        if fives > shift, Self.multiplicity(of: 5, in: number.digits, upTo: fives - shift) < fives - shift {
            return false
        }
        return true
    }

    private static func uint64(_ digits: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for digit in digits { value = value * 10 + UInt64(digit - UInt8(ascii: "0")) }
        return value
    }

    /// How many times `prime` divides the decimal number, counting at most `limit`.
    private static func multiplicity(of prime: UInt32, in digits: [UInt8], upTo limit: Int) -> Int {
        var number = BigUInt(decimalDigits: digits)
        var count = 0
        while count < limit, !number.isZero {
            var probe = number
            guard probe.divide(by: prime) == 0 else { break }
            number = probe
            count += 1
        }
        return count
    }
}

/// Just enough arbitrary-precision unsigned arithmetic for `multipleOf`.
struct BigUInt: Sendable, Comparable {
    /// Little-endian base-2^32 limbs, no trailing zero limbs (zero is `[]`).
    private(set) var limbs: [UInt32]

    init(decimalDigits: [UInt8]) {
        limbs = []
        for digit in decimalDigits { multiplyAdd(10, UInt32(digit - UInt8(ascii: "0"))) }
    }

    var isZero: Bool { limbs.isEmpty }
    var isOne: Bool { limbs == [1] }

    var uint64Value: UInt64? {
        switch limbs.count {
        case 0: 0
        case 1: UInt64(limbs[0])
        case 2: UInt64(limbs[1]) << 32 | UInt64(limbs[0])
        default: nil
        }
    }

    /// self = self × factor + addend
    mutating func multiplyAdd(_ factor: UInt32, _ addend: UInt32) {
        var carry = UInt64(addend)
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// Divides in place; returns the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = remainder << 32 | UInt64(limbs[index])
            limbs[index] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        while limbs.last == 0 { limbs.removeLast() }
        return UInt32(remainder)
    }

    mutating func subtract(_ other: BigUInt) {
        var borrow: Int64 = 0
        for index in limbs.indices {
            var difference = Int64(limbs[index]) - borrow
            if index < other.limbs.count { difference -= Int64(other.limbs[index]) }
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            limbs[index] = UInt32(difference)
        }
        while limbs.last == 0 { limbs.removeLast() }
    }

    static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in lhs.limbs.indices.reversed() where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    /// The decimal number `digits` modulo `divisor`, by long division one digit at a time.
    static func remainder(ofDecimalDigits digits: [UInt8], dividingBy divisor: BigUInt) -> BigUInt {
        var remainder = BigUInt(decimalDigits: [])
        for digit in digits {
            remainder.multiplyAdd(10, UInt32(digit - UInt8(ascii: "0")))
            while !(remainder < divisor) { remainder.subtract(divisor) }
        }
        return remainder
    }
}
