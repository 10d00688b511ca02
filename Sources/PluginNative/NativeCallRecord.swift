import CAgentCorePlugin

/// What a hook handed back through `call_set_output` / `call_set_error` (`ac_call_t`).
///
/// Lives on the calling plugin thread's stack for the duration of one native call; the C
/// side gets its address as the opaque `ac_call_t *`.
struct NativeCallRecord {
    var output: [UInt8]?
    var error: String?

    /// Runs `body` with a fresh record's address as `ac_call_t *`, returning the body's result and the record.
    static func with<R>(_ body: (OpaquePointer) -> R) -> (R, NativeCallRecord) {
        var record = NativeCallRecord()
        let result = withUnsafeMutablePointer(to: &record) { body(OpaquePointer($0)) }
        return (result, record)
    }
}

extension ac_str_t {
    /// A copy of the bytes (empty for a NULL pointer).
    var bytes: [UInt8] {
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: ptr, count: len))
    }

    /// The bytes decoded as UTF-8, invalid sequences repaired.
    var string: String {
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }
}

/// Reads a C struct that starts with `uint32_t struct_size` and may be older (shorter) than
/// the host's definition: copies the bytes the producer declared and leaves the rest zero,
/// so fields beyond its size read as NULL / 0 (absent).
func readVersionedStruct<T>(_ pointer: UnsafeRawPointer, as type: T.Type, zero: T) -> (value: T, declaredSize: Int) {
    let declared = Int(pointer.load(as: UInt32.self))
    var value = zero
    withUnsafeMutableBytes(of: &value) { destination in
        destination.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: min(declared, MemoryLayout<T>.size)))
    }
    return (value, declared)
}

extension String {
    /// A NUL-terminated C string read from `pointer`, nil for NULL.
    init?(optionalCString pointer: UnsafePointer<CChar>?) {
        guard let pointer else { return nil }
        self.init(cString: pointer)
    }
}
