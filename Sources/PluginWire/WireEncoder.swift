/// Appends values to a frame payload: little-endian integers, length-prefixed bytes.
public struct WireEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ value: UInt8) { bytes.append(value) }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }

    public mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    public mutating func double(_ value: Double) { u64(value.bitPattern) }

    public mutating func data(_ value: [UInt8]) {
        u32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func string(_ value: String) { data(Array(value.utf8)) }

    /// A presence byte, then the value when present.
    public mutating func optionalData(_ value: [UInt8]?) {
        bool(value != nil)
        if let value { data(value) }
    }

    public mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }
}

/// Reads values written by `WireEncoder`, in the same order.
public struct WireDecoder: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func take(_ count: Int) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else { throw .malformed("payload ends early") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    public mutating func u8() throws(WireError) -> UInt8 { try take(1).first! }

    public mutating func bool() throws(WireError) -> Bool { try u8() != 0 }

    public mutating func u32() throws(WireError) -> UInt32 {
        var value: UInt32 = 0
        for (shift, byte) in try take(4).enumerated() { value |= UInt32(byte) << (8 * shift) }
        return value
    }

    public mutating func i32() throws(WireError) -> Int32 { Int32(bitPattern: try u32()) }

    public mutating func u64() throws(WireError) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * shift) }
        return value
    }

    public mutating func i64() throws(WireError) -> Int64 { Int64(bitPattern: try u64()) }

    public mutating func double() throws(WireError) -> Double { Double(bitPattern: try u64()) }

    public mutating func data() throws(WireError) -> [UInt8] {
        let count = Int(try u32())
        return Array(try take(count))
    }

    public mutating func string() throws(WireError) -> String { String(decoding: try data(), as: UTF8.self) }

    public mutating func optionalData() throws(WireError) -> [UInt8]? { try bool() ? try data() : nil }

    public mutating func optionalString() throws(WireError) -> String? { try bool() ? try string() : nil }
}

/// Why a frame could not be sent, received or decoded.
public enum WireError: Error, Sendable, CustomStringConvertible {
    /// The peer closed its end (or died).
    case closed
    /// No frame arrived before the deadline.
    case timedOut
    /// A system call failed.
    case system(call: String, errno: Int32)
    /// The bytes do not form a valid frame or message.
    case malformed(String)

    public var description: String {
        switch self {
        case .closed: "connection closed by the peer"
        case .timedOut: "no answer before the deadline"
        case .system(let call, let errno): "\(call) failed with errno \(errno)"
        case .malformed(let message): "malformed frame: \(message)"
        }
    }
}
