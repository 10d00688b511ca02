import CAgentCorePlugin
import Foundation

/// A plugin called with nothing in between: dlopen, dlsym(`ac_plugin_entry`), and the
/// descriptor's function pointers called directly. The floor of the in-process figures.
///
/// Opens a private copy of the file: the plugin keeps the host table it is given in a global,
/// and the runtime must keep its own.
final class RawPlugin: @unchecked Sendable {
    // @unchecked: the handle and descriptor are written once in init and only read after.
    private let handle: UnsafeMutableRawPointer
    let descriptor: UnsafePointer<ac_plugin_descriptor_t>

    /// Where `call_set_output` copies a hook's output, as the host copies it (`ac_call_t *` points here).
    struct Output {
        var base: UnsafeMutableRawPointer
        var capacity: Int
        var length: Int
    }

    init(copying path: String, into directory: String) throws {
        let copy = directory + "/raw-\(UUID().uuidString).so"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        guard let handle = dlopen(copy, RTLD_NOW | RTLD_LOCAL) else {
            throw BenchError("dlopen \(copy): \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(handle, AC_PLUGIN_ENTRY_SYMBOL) else {
            throw BenchError("\(copy) has no \(AC_PLUGIN_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: ac_plugin_entry_fn.self)
        guard let descriptor = entry(UnsafePointer(Self.hostTable)) else { throw BenchError("\(copy): entry returned NULL") }
        self.handle = handle
        self.descriptor = descriptor
    }

    deinit { dlclose(handle) }

    /// `create` with `config`; the instance pointer (or nil for a stateless plugin).
    func create(config: [UInt8]) -> OpaquePointer? {
        guard let create = descriptor.pointee.create else { return nil }
        var instance: OpaquePointer?
        var output = Output(base: Self.scratch, capacity: 4096, length: 0)
        config.withUnsafeBufferPointer { bytes in
            withUnsafeMutablePointer(to: &output) { call in
                _ = create(nil, ac_str_t(ptr: UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), len: bytes.count), OpaquePointer(call), &instance)
            }
        }
        return instance
    }

    func destroy(_ instance: OpaquePointer?) {
        descriptor.pointee.destroy?(instance)
    }

    /// `on_agent_query` with `query` (UTF-8 bytes at `pointer`); returns the output length.
    @inline(__always)
    func query(_ instance: OpaquePointer?, _ pointer: UnsafePointer<CChar>, count: Int, output: UnsafeMutablePointer<Output>) -> Int32 {
        descriptor.pointee.on_agent_query!(instance, ac_str_t(ptr: pointer, len: count), OpaquePointer(output)).rawValue
    }

    /// Scratch bytes for outputs nobody reads (create's).
    nonisolated(unsafe) static let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)

    /// A minimal host table: outputs and errors are copied into the caller's `Output`; no services.
    nonisolated(unsafe) static let hostTable: UnsafeMutablePointer<ac_host_api_t> = {
        let table = UnsafeMutablePointer<ac_host_api_t>.allocate(capacity: 1)
        var api = ac_host_api_t()
        api.struct_size = UInt32(MemoryLayout<ac_host_api_t>.size)
        api.abi_major = UInt16(AC_ABI_VERSION_MAJOR)
        api.abi_minor = UInt16(AC_ABI_VERSION_MINOR)
        api.call_set_output = { call, json in
            guard let call else { return }
            let output = UnsafeMutableRawPointer(call).assumingMemoryBound(to: Output.self)
            let count = min(json.len, output.pointee.capacity)
            if let source = json.ptr { memcpy(output.pointee.base, source, count) }
            output.pointee.length = count
        }
        api.call_set_error = { call, message in
            guard let call else { return }
            let output = UnsafeMutableRawPointer(call).assumingMemoryBound(to: Output.self)
            output.pointee.length = min(message.len, output.pointee.capacity)
        }
        table.initialize(to: api)
        return table
    }()
}
