/// One instance's view of the host (`ac_context_t`): which plugin, namespace and department
/// it serves, and the services its host calls reach.
///
/// The context is passed to C as an unretained pointer; its owner (the instance handle)
/// keeps it alive from before `create` until after `destroy` returns, as the header promises.
public final class NativeContext: Sendable {
    public let pluginId: String
    public let namespaceId: String
    public let departmentId: String
    public let services: any NativeHostServices
    /// Stable UTF-8 copies handed out by `context_namespace_id` / `context_department_id`.
    let namespaceBytes: NativeBytes
    let departmentBytes: NativeBytes

    public init(pluginId: String, namespaceId: String, departmentId: String, services: any NativeHostServices) {
        self.pluginId = pluginId
        self.namespaceId = namespaceId
        self.departmentId = departmentId
        self.services = services
        self.namespaceBytes = NativeBytes(Array(namespaceId.utf8))
        self.departmentBytes = NativeBytes(Array(departmentId.utf8))
    }

    var opaquePointer: OpaquePointer {
        OpaquePointer(Unmanaged.passUnretained(self).toOpaque())
    }

    static func from(_ pointer: OpaquePointer) -> NativeContext {
        Unmanaged<NativeContext>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// Bytes at a fixed address for the lifetime of the object (for pointers handed to C).
final class NativeBytes: @unchecked Sendable {
    // @unchecked: the buffer is written once in init and never mutated; readers only read.
    let pointer: UnsafeMutableRawBufferPointer

    init(_ bytes: [UInt8]) {
        pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        pointer.copyBytes(from: bytes)
        count = bytes.count
    }

    let count: Int

    deinit { pointer.deallocate() }
}
