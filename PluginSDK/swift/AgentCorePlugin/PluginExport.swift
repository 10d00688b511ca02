internal import Synchronization

/// Turns a `Plugin` type into the C descriptor the host loads.
///
/// A plugin library calls it from its one exported entry point, which Swift
/// 6.3's `@c @implementation` checks against the header's prototype (use
/// `@_cdecl("ac_plugin_entry")` on older compilers). Keep it `public`: a
/// release build does not export an internal function.
/// ```swift
/// @c @implementation
/// public func ac_plugin_entry(_ host: UnsafePointer<ac_host_api_t>?) -> UnsafePointer<ac_plugin_descriptor_t>? {
///     PluginExport.entry(MyPlugin.self, host: host)
/// }
/// ```
public enum PluginExport {
    /// Records the host table and returns the descriptor of `type`, built once
    /// and kept for the library's lifetime.
    ///
    /// Returns nil (the host refuses to load the library) when the host speaks
    /// another ABI major, when its table is smaller than ABI 1.0's, or when the
    /// library already exported another plugin type.
    public static func entry<P: Plugin>(_ type: P.Type, host: UnsafePointer<ac_host_api_t>?) -> UnsafePointer<ac_plugin_descriptor_t>? {
        guard let host,
              host.pointee.abi_major == AC_ABI_VERSION_MAJOR,
              host.pointee.struct_size >= UInt32(MemoryLayout<ac_host_api_t>.size)
        else { return nil }
        return registration.withLock { current -> DescriptorStorage? in
            if let current {
                // The entry runs once per load; a second call (the same library
                // loaded again) gets the same descriptor, never a second one.
                return ObjectIdentifier(current.type) == ObjectIdentifier(type) ? current.descriptor : nil
            }
            let descriptor = DescriptorStorage(P.descriptor)
            current = Registration(type: type, host: HostTable(api: host), descriptor: descriptor)
            return descriptor
        }?.pointer
    }
}

/// What `ac_plugin_entry` recorded: the trampolines reach the plugin type and
/// the host table through it (C function pointers cannot capture them).
private struct Registration: Sendable {
    let type: any Plugin.Type
    let host: HostTable
    let descriptor: DescriptorStorage
}

/// One plugin type per library, recorded by the entry point, read by `create`.
private let registration = Mutex<Registration?>(nil)

/// The state behind an `ac_instance_t *`: the plugin instance and the host table.
private final class InstanceBox: Sendable {
    let plugin: any Plugin
    let host: HostTable

    init(plugin: any Plugin, host: HostTable) {
        self.plugin = plugin
        self.host = host
    }

    static func from(_ instance: OpaquePointer?) -> InstanceBox? {
        guard let instance else { return nil }
        return Unmanaged<InstanceBox>.fromOpaque(UnsafeRawPointer(instance)).takeUnretainedValue()
    }
}

/// The C descriptor and every string it points to.
///
/// Allocated once and deliberately never freed: the ABI requires it to stay
/// valid and unchanged until the library is unloaded, and a Swift library has
/// no hook that runs at unload. `@unchecked Sendable`: immutable after `init`.
private final class DescriptorStorage: @unchecked Sendable {
    let pointer: UnsafePointer<ac_plugin_descriptor_t>

    init(_ descriptor: PluginDescriptor) {
        var c = ac_plugin_descriptor_t()
        c.struct_size = UInt32(MemoryLayout<ac_plugin_descriptor_t>.size)
        c.abi_major = UInt16(AC_ABI_VERSION_MAJOR)
        c.abi_minor = UInt16(AC_ABI_VERSION_MINOR)
        c.id = Self.cString(descriptor.id)
        c.name = Self.cString(descriptor.name)
        c.version = Self.cString(descriptor.version)
        c.category = Self.cString(descriptor.category)
        c.description = Self.cString(descriptor.description)
        c.capabilities = descriptor.capabilities.rawValue
        c.config_schema = descriptor.configSchema.map(Self.cString)

        c.create = createHook
        c.destroy = destroyHook
        // A hook is installed only for a declared capability: a NULL hook is
        // how the ABI says "absent".
        if descriptor.capabilities.contains(.agentQuery) { c.on_agent_query = agentQueryHook }
        if descriptor.capabilities.contains(.approvalHook) { c.on_approval_created = approvalCreatedHook }
        if descriptor.capabilities.contains(.documentHook) { c.on_document_ready = documentReadyHook }

        if !descriptor.tools.isEmpty {
            let tools = UnsafeMutablePointer<UnsafePointer<ac_tool_t>?>.allocate(capacity: descriptor.tools.count)
            for (index, tool) in descriptor.tools.enumerated() {
                var cTool = ac_tool_t()
                cTool.struct_size = UInt32(MemoryLayout<ac_tool_t>.size)
                cTool.name = Self.cString(tool.name)
                cTool.description = Self.cString(tool.description)
                cTool.input_schema = Self.cString(tool.inputSchema)
                cTool.kind = AC_TOOL_JSON
                let slot = UnsafeMutablePointer<ac_tool_t>.allocate(capacity: 1)
                slot.initialize(to: cTool)
                tools[index] = UnsafePointer(slot)
            }
            c.tools = UnsafePointer(tools)
            c.tool_count = UInt32(descriptor.tools.count)
            c.on_tool_invoke = toolInvokeHook
        }

        let storage = UnsafeMutablePointer<ac_plugin_descriptor_t>.allocate(capacity: 1)
        storage.initialize(to: c)
        self.pointer = UnsafePointer(storage)
    }

    /// A NUL-terminated copy of `string`, never freed (see the type's comment).
    private static func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
        for (index, byte) in utf8.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        buffer[utf8.count] = 0
        return UnsafePointer(buffer)
    }
}

// MARK: - Hooks
// Plain functions with the header's signatures, so they convert to C function
// pointers. Each one catches every error (HostTable.run): a Swift error never
// unwinds into the host.

private func createHook(
    _ context: OpaquePointer?, _ config: ac_str_t, _ call: OpaquePointer?,
    _ outInstance: UnsafeMutablePointer<OpaquePointer?>?
) -> ac_status_t {
    guard let registration = registration.withLock({ $0 }) else { return AC_ERROR }
    let host = registration.host
    return host.run(call) {
        let pluginContext = PluginContext(host: host, context: context)
        let plugin = try registration.type.init(config: JSONText(config.string), context: pluginContext)
        let box = InstanceBox(plugin: plugin, host: host)
        // The retain is balanced by destroyHook's release.
        outInstance?.pointee = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
        return AC_OK
    }
}

private func destroyHook(_ instance: OpaquePointer?) {
    guard let instance else { return }
    Unmanaged<InstanceBox>.fromOpaque(UnsafeRawPointer(instance)).release()
}

private func agentQueryHook(_ instance: OpaquePointer?, _ query: ac_str_t, _ call: OpaquePointer?) -> ac_status_t {
    guard let box = InstanceBox.from(instance) else { return AC_ERROR }
    return box.host.run(call) {
        guard let output = try box.plugin.agentQuery(query.string) else { return AC_NO_RESULT }
        box.host.setOutput(call, output)
        return AC_OK
    }
}

private func approvalCreatedHook(_ instance: OpaquePointer?, _ event: ac_str_t, _ call: OpaquePointer?) -> ac_status_t {
    guard let box = InstanceBox.from(instance) else { return AC_ERROR }
    return box.host.run(call) {
        try box.plugin.approvalCreated(PluginEvent(envelope: JSONText(event.string)))
        return AC_OK
    }
}

private func documentReadyHook(_ instance: OpaquePointer?, _ event: ac_str_t, _ call: OpaquePointer?) -> ac_status_t {
    guard let box = InstanceBox.from(instance) else { return AC_ERROR }
    return box.host.run(call) {
        try box.plugin.documentReady(PluginEvent(envelope: JSONText(event.string)))
        return AC_OK
    }
}

private func toolInvokeHook(
    _ instance: OpaquePointer?, _ name: ac_str_t, _ input: ac_str_t, _ call: OpaquePointer?
) -> ac_status_t {
    guard let box = InstanceBox.from(instance) else { return AC_ERROR }
    return box.host.run(call) {
        let output = try box.plugin.invokeTool(name.string, input: JSONText(input.string))
        box.host.setOutput(call, output)
        return AC_OK
    }
}
