import CAgentCorePlugin

/// A plugin's per-namespace state pointer (`ac_instance_t *`), opaque to the host.
///
/// Sendable because the header requires an instance to be safe for concurrent hook calls;
/// the host never dereferences it.
public struct NativeInstance: @unchecked Sendable {
    let pointer: OpaquePointer?
}

/// The result of one native hook call.
public struct NativeCallOutcome: Sendable {
    public var status: NativeStatus
    /// The raw value the hook returned (differs from `status.rawValue` when it was outside `ac_status_t`).
    public var rawStatus: Int32
    /// Bytes set with `call_set_output` (last call wins).
    public var output: [UInt8]?
    /// Message set with `call_set_error`.
    public var error: String?

    public init(status: NativeStatus, rawStatus: Int32, output: [UInt8]?, error: String?) {
        self.status = status
        self.rawStatus = rawStatus
        self.output = output
        self.error = error
    }
}

/// The result of `create`.
public struct NativeCreateOutcome: Sendable {
    public var status: NativeStatus
    public var rawStatus: Int32
    public var instance: NativeInstance
    public var error: String?
}

/// A loaded plugin library: its handle, descriptor and hook functions.
///
/// Every call is synchronous and may block for as long as the plugin likes: call these only
/// from plugin threads, never from the cooperative pool. Holding a `NativePlugin` keeps the
/// library open.
public final class NativePlugin: Sendable {
    public let library: NativeLibrary
    public let descriptor: NativeDescriptor
    /// The prepared functions of the typed tools, by tool name.
    public let typedTools: [String: TypedToolFunction]
    private let hooks: Hooks

    /// The ABI version the host implements.
    public static let hostABIMajor = HostAPITable.abiMajor
    public static let hostABIMinor = HostAPITable.abiMinor

    /// Opens `path`, calls its entry with the host API table, checks the ABI version and copies
    /// the descriptor (and prepares the libffi calls of typed tools).
    /// - Throws: `NativeLoadError` naming what failed: not ELF, wrong architecture, dlopen's
    ///   error, missing entry symbol, the entry returned NULL, an incompatible ABI
    ///   ("plugin ABI 1.7 is newer than host ABI 1.0"), or a malformed descriptor.
    public init(path: String) throws(NativeLoadError) {
        let library = try NativeLibrary(path: path)
        let symbol = try library.symbol(named: AC_PLUGIN_ENTRY_SYMBOL)
        let entry = unsafeBitCast(symbol, to: ac_plugin_entry_fn.self)
        guard let pointer = entry(HostAPITable.shared.pointer) else {
            throw NativeLoadError(.entryRefused, "\(AC_PLUGIN_ENTRY_SYMBOL) returned NULL (the plugin refused to load)")
        }
        let raw = UnsafeRawPointer(pointer)
        let declaredSize = Int(raw.load(as: UInt32.self))
        guard declaredSize >= 8 else {
            throw NativeLoadError(.malformedDescriptor, "descriptor struct_size \(declaredSize) is smaller than its 8-byte header")
        }
        let major = Int(raw.load(fromByteOffset: 4, as: UInt16.self))
        let minor = Int(raw.load(fromByteOffset: 6, as: UInt16.self))
        let host = "\(Self.hostABIMajor).\(Self.hostABIMinor)"
        if major != Self.hostABIMajor {
            throw NativeLoadError(.abiMismatch, "plugin ABI \(major).\(minor) has another major version than host ABI \(host)")
        }
        if minor > Self.hostABIMinor {
            throw NativeLoadError(.abiMismatch, "plugin ABI \(major).\(minor) is newer than host ABI \(host)")
        }
        let (c, _) = readVersionedStruct(raw, as: ac_plugin_descriptor_t.self, zero: ac_plugin_descriptor_t())
        self.library = library
        self.hooks = Hooks(
            create: c.create, destroy: c.destroy, agentQuery: c.on_agent_query,
            approvalCreated: c.on_approval_created, documentReady: c.on_document_ready, toolInvoke: c.on_tool_invoke
        )
        self.descriptor = NativeDescriptor(
            structSize: declaredSize,
            abiMajor: major,
            abiMinor: minor,
            id: String(optionalCString: c.id),
            name: String(optionalCString: c.name),
            version: String(optionalCString: c.version),
            category: String(optionalCString: c.category),
            description: String(optionalCString: c.description),
            capabilities: c.capabilities,
            configSchema: String(optionalCString: c.config_schema),
            hasCreate: c.create != nil,
            hasDestroy: c.destroy != nil,
            hasAgentQuery: c.on_agent_query != nil,
            hasApprovalCreated: c.on_approval_created != nil,
            hasDocumentReady: c.on_document_ready != nil,
            hasToolInvoke: c.on_tool_invoke != nil,
            tools: try Self.readTools(c.tools, count: Int(c.tool_count))
        )
        var typedTools: [String: TypedToolFunction] = [:]
        for tool in descriptor.tools {
            if let name = tool.name, let function = tool.function { typedTools[name] = function }
        }
        self.typedTools = typedTools
    }

    private static func readTools(
        _ tools: UnsafePointer<UnsafePointer<ac_tool_t>?>?, count: Int
    ) throws(NativeLoadError) -> [NativeTool] {
        guard count > 0 else { return [] }
        guard let tools else {
            throw NativeLoadError(.malformedDescriptor, "tool_count is \(count) but tools is NULL")
        }
        var result: [NativeTool] = []
        for index in 0..<count {
            guard let pointer = tools[index] else {
                throw NativeLoadError(.malformedDescriptor, "tools[\(index)] is NULL")
            }
            let (t, size) = readVersionedStruct(UnsafeRawPointer(pointer), as: ac_tool_t.self, zero: ac_tool_t())
            guard size >= MemoryLayout<ac_tool_t>.offset(of: \ac_tool_t.kind)! + MemoryLayout<ac_tool_kind_t>.size else {
                throw NativeLoadError(.malformedDescriptor, "tools[\(index)] struct_size \(size) is too small")
            }
            let name = String(optionalCString: t.name)
            let label = name ?? "tools[\(index)]"
            let kind: NativeTool.Kind = switch t.kind.rawValue {
            case 0: .json
            case 1: .typed
            default: .unknown(UInt32(t.kind.rawValue))
            }
            var parameters: [NativeTool.Parameter] = []
            var resultType = NativeValueType.void
            var function: TypedToolFunction?
            if kind == .typed {
                let paramCount = Int(t.param_count)
                guard paramCount <= 16 else {
                    throw NativeLoadError(.malformedDescriptor, "tool \(label) has \(paramCount) parameters (at most 16)")
                }
                if paramCount > 0 {
                    guard let params = t.params else {
                        throw NativeLoadError(.malformedDescriptor, "tool \(label) has param_count \(paramCount) but params is NULL")
                    }
                    for p in UnsafeBufferPointer(start: params, count: paramCount) {
                        guard let name = String(optionalCString: p.name) else {
                            throw NativeLoadError(.malformedDescriptor, "tool \(label) has a parameter without a name")
                        }
                        guard let type = NativeValueType(rawValue: UInt32(p.type.rawValue)), type != .void else {
                            throw NativeLoadError(.malformedDescriptor, "tool \(label) parameter \(name) has invalid type \(p.type.rawValue)")
                        }
                        parameters.append(.init(name: name, type: type, description: String(optionalCString: p.description)))
                    }
                }
                guard let type = NativeValueType(rawValue: UInt32(t.result_type.rawValue)) else {
                    throw NativeLoadError(.malformedDescriptor, "tool \(label) has invalid result type \(t.result_type.rawValue)")
                }
                resultType = type
                guard let typedFunction = t.typed_fn else {
                    throw NativeLoadError(.malformedDescriptor, "typed tool \(label) has no typed_fn")
                }
                function = try TypedToolFunction(
                    function: typedFunction, parameterTypes: parameters.map(\.type),
                    resultType: resultType, freeStringResult: t.free_string_result
                )
            }
            result.append(NativeTool(
                name: name, description: String(optionalCString: t.description),
                inputSchema: String(optionalCString: t.input_schema), kind: kind,
                parameters: parameters, resultType: resultType, function: function
            ))
        }
        return result
    }

    // MARK: Calls (plugin threads only)

    /// Calls `create` with the validated config (JSON bytes). Never call when `hasCreate` is false.
    public func create(context: NativeContext, config: [UInt8]) -> NativeCreateOutcome {
        guard let create = hooks.create else {
            return NativeCreateOutcome(status: .unsupported, rawStatus: NativeStatus.unsupported.rawValue, instance: NativeInstance(pointer: nil), error: "plugin has no create")
        }
        var instance: OpaquePointer?
        let (status, record) = withExtendedLifetime(context) {
            config.withUnsafeBufferPointer { bytes in
                NativeCallRecord.with { call in
                    create(context.opaquePointer, Self.cString(bytes), call, &instance)
                }
            }
        }
        let raw = Int32(truncatingIfNeeded: status.rawValue)
        return NativeCreateOutcome(status: NativeStatus(plugin: status), rawStatus: raw, instance: NativeInstance(pointer: instance), error: record.error)
    }

    /// Calls `destroy`, if the plugin has one.
    public func destroy(_ instance: NativeInstance) {
        hooks.destroy?(instance.pointer)
    }

    /// Calls `on_agent_query` with the query text.
    public func agentQuery(_ instance: NativeInstance, query: String) -> NativeCallOutcome {
        guard let hook = hooks.agentQuery else { return Self.unsupported("on_agent_query") }
        var query = query
        return query.withUTF8 { bytes in
            Self.outcome(NativeCallRecord.with { call in hook(instance.pointer, Self.cString(bytes), call) })
        }
    }

    /// Calls `on_approval_created` with the event envelope (JSON bytes).
    public func approvalCreated(_ instance: NativeInstance, event: [UInt8]) -> NativeCallOutcome {
        guard let hook = hooks.approvalCreated else { return Self.unsupported("on_approval_created") }
        return event.withUnsafeBufferPointer { bytes in
            Self.outcome(NativeCallRecord.with { call in hook(instance.pointer, Self.cString(bytes), call) })
        }
    }

    /// Calls `on_document_ready` with the event envelope (JSON bytes).
    public func documentReady(_ instance: NativeInstance, event: [UInt8]) -> NativeCallOutcome {
        guard let hook = hooks.documentReady else { return Self.unsupported("on_document_ready") }
        return event.withUnsafeBufferPointer { bytes in
            Self.outcome(NativeCallRecord.with { call in hook(instance.pointer, Self.cString(bytes), call) })
        }
    }

    /// Calls `on_tool_invoke` with the tool name and its validated input (JSON bytes).
    public func invokeTool(_ instance: NativeInstance, name: String, input: [UInt8]) -> NativeCallOutcome {
        guard let hook = hooks.toolInvoke else { return Self.unsupported("on_tool_invoke") }
        var name = name
        return name.withUTF8 { nameBytes in
            input.withUnsafeBufferPointer { inputBytes in
                Self.outcome(NativeCallRecord.with { call in
                    hook(instance.pointer, Self.cString(nameBytes), Self.cString(inputBytes), call)
                })
            }
        }
    }

    private static func cString(_ bytes: UnsafeBufferPointer<UInt8>) -> ac_str_t {
        ac_str_t(ptr: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, len: bytes.count)
    }

    private static func outcome(_ pair: (ac_status_t, NativeCallRecord)) -> NativeCallOutcome {
        NativeCallOutcome(
            status: NativeStatus(plugin: pair.0), rawStatus: Int32(truncatingIfNeeded: pair.0.rawValue),
            output: pair.1.output, error: pair.1.error
        )
    }

    private static func unsupported(_ hook: String) -> NativeCallOutcome {
        NativeCallOutcome(status: .unsupported, rawStatus: NativeStatus.unsupported.rawValue, output: nil, error: "plugin has no \(hook)")
    }

    /// The hook function pointers, copied from the descriptor.
    private struct Hooks: @unchecked Sendable {
        // @unchecked: immutable C function pointers into a library `NativePlugin` keeps open.
        let create: (@convention(c) (OpaquePointer?, ac_str_t, OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> ac_status_t)?
        let destroy: (@convention(c) (OpaquePointer?) -> Void)?
        let agentQuery: (@convention(c) (OpaquePointer?, ac_str_t, OpaquePointer?) -> ac_status_t)?
        let approvalCreated: (@convention(c) (OpaquePointer?, ac_str_t, OpaquePointer?) -> ac_status_t)?
        let documentReady: (@convention(c) (OpaquePointer?, ac_str_t, OpaquePointer?) -> ac_status_t)?
        let toolInvoke: (@convention(c) (OpaquePointer?, ac_str_t, ac_str_t, OpaquePointer?) -> ac_status_t)?
    }
}
