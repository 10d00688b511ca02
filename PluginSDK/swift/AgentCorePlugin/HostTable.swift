/// The host API table the library received in `ac_plugin_entry`.
///
/// `@unchecked Sendable`: the table is immutable and stays valid until the
/// library is unloaded, and the ABI declares every host function thread-safe
/// (agentcore_plugin.h, THREADS), so sharing the pointer between threads is
/// sound; the lock that makes the calls safe is on the host's side.
struct HostTable: @unchecked Sendable {
    let api: UnsafePointer<ac_host_api_t>

    /// Sets the call's JSON output (the host copies the bytes).
    func setOutput(_ call: OpaquePointer?, _ json: JSONText) {
        var text = json.text
        text.withUTF8 { bytes in
            api.pointee.call_set_output(call, ac_str_t(bytes))
        }
    }

    /// Sets the call's error message (the host copies the bytes).
    func setError(_ call: OpaquePointer?, _ message: String) {
        var text = message
        text.withUTF8 { bytes in
            api.pointee.call_set_error(call, ac_str_t(bytes))
        }
    }

    /// Runs a hook body, turning every thrown error into a status and a message:
    /// nothing thrown crosses the C boundary.
    func run(_ call: OpaquePointer?, _ body: () throws -> ac_status_t) -> ac_status_t {
        do {
            return try body()
        } catch let error as PluginError {
            setError(call, error.message)
            return error.status
        } catch {
            setError(call, String(describing: error))
            return AC_ERROR
        }
    }
}

extension ac_str_t {
    /// A borrowed view of `bytes`; valid only while `bytes` is.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.init(ptr: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, len: bytes.count)
    }

    /// The bytes, copied.
    var bytes: [UInt8] {
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: ptr, count: len))
    }

    /// The bytes as a String (invalid UTF-8 is repaired with U+FFFD), copied.
    var string: String {
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }
}
