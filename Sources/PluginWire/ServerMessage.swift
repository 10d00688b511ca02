public import PluginNative

/// The hooks a child can run on an instance.
public enum WireHook: UInt8, Sendable {
    case agentQuery = 1, approvalCreated, documentReady, toolInvoke
}

/// A frame the server sends to a plugin-host child: a call, or the answer to a host service
/// the child asked for during a call.
public enum ServerMessage: Sendable {
    /// Runs `create` for a new instance; answered by `ChildMessage.created`.
    case create(instanceId: UInt64, namespaceId: String, departmentId: String, config: [UInt8])
    /// Runs `destroy`; answered by `ChildMessage.destroyed`.
    case destroy(instanceId: UInt64)
    /// Runs a hook; answered by `ChildMessage.result`. `toolName` is empty except for toolInvoke.
    case hook(instanceId: UInt64, hook: WireHook, toolName: String, input: [UInt8])
    /// Calls a typed tool with converted arguments; answered by `ChildMessage.typedResult`.
    case typedCall(tool: String, arguments: [NativeValue])
    /// The answer to `ChildMessage.httpRequest`.
    case httpResponse(NativeHTTPResponse)
    /// The answer to a key-value request: a status and, for a successful get, the value.
    case keyValueResult(status: Int32, value: [UInt8]?)

    private enum Kind: UInt8 {
        case create = 1, destroy, hook, typedCall, httpResponse, keyValueResult
    }

    /// The frame's kind byte and payload.
    public func encoded() -> (kind: UInt8, payload: [UInt8]) {
        var encoder = WireEncoder()
        let kind: Kind
        switch self {
        case .create(let instanceId, let namespaceId, let departmentId, let config):
            kind = .create
            encoder.u64(instanceId)
            encoder.string(namespaceId)
            encoder.string(departmentId)
            encoder.data(config)
        case .destroy(let instanceId):
            kind = .destroy
            encoder.u64(instanceId)
        case .hook(let instanceId, let hook, let toolName, let input):
            kind = .hook
            encoder.u64(instanceId)
            encoder.u8(hook.rawValue)
            encoder.string(toolName)
            encoder.data(input)
        case .typedCall(let tool, let arguments):
            kind = .typedCall
            encoder.string(tool)
            encoder.u32(UInt32(arguments.count))
            for argument in arguments { encoder.value(argument) }
        case .httpResponse(let response):
            kind = .httpResponse
            encoder.i32(response.status.rawValue)
            encoder.i32(response.httpStatus)
            encoder.fields(response.headers.map { ($0.name, $0.value) })
            encoder.data(response.body)
            encoder.string(response.error)
        case .keyValueResult(let status, let value):
            kind = .keyValueResult
            encoder.i32(status)
            encoder.optionalData(value)
        }
        return (kind.rawValue, encoder.bytes)
    }

    /// Decodes a frame.
    /// - Throws: `WireError.malformed` for an unknown kind or a short payload.
    public init(kind: UInt8, payload: [UInt8]) throws(WireError) {
        var decoder = WireDecoder(payload)
        switch Kind(rawValue: kind) {
        case .create:
            self = .create(instanceId: try decoder.u64(), namespaceId: try decoder.string(), departmentId: try decoder.string(), config: try decoder.data())
        case .destroy:
            self = .destroy(instanceId: try decoder.u64())
        case .hook:
            let instanceId = try decoder.u64()
            guard let hook = WireHook(rawValue: try decoder.u8()) else { throw .malformed("unknown hook") }
            self = .hook(instanceId: instanceId, hook: hook, toolName: try decoder.string(), input: try decoder.data())
        case .typedCall:
            let tool = try decoder.string()
            let count = Int(try decoder.u32())
            guard count <= 16 else { throw .malformed("\(count) typed arguments") }
            var arguments: [NativeValue] = []
            for _ in 0..<count { arguments.append(try decoder.value()) }
            self = .typedCall(tool: tool, arguments: arguments)
        case .httpResponse:
            let status = NativeStatus(rawValue: try decoder.i32()) ?? .error
            let httpStatus = try decoder.i32()
            let headers = try decoder.fields().map { (name: $0.0, value: $0.1) }
            self = .httpResponse(NativeHTTPResponse(
                status: status, httpStatus: httpStatus, headers: headers, body: try decoder.data(), error: try decoder.string()
            ))
        case .keyValueResult:
            self = .keyValueResult(status: try decoder.i32(), value: try decoder.optionalData())
        case nil:
            throw .malformed("unknown server message kind \(kind)")
        }
    }
}

extension WireEncoder {
    mutating func fields(_ fields: [(String, String)]) {
        u32(UInt32(fields.count))
        for (key, value) in fields {
            string(key)
            string(value)
        }
    }

    mutating func value(_ value: NativeValue) {
        u8(UInt8(value.type.rawValue))
        switch value {
        case .void: break
        case .int64(let number): i64(number)
        case .int32(let number): i32(number)
        case .double(let number): double(number)
        case .bool(let flag): bool(flag)
        case .string(let text): string(text)
        }
    }
}

extension WireDecoder {
    mutating func fields() throws(WireError) -> [(String, String)] {
        let count = Int(try u32())
        var fields: [(String, String)] = []
        for _ in 0..<min(count, 4096) { fields.append((try string(), try string())) }
        return fields
    }

    mutating func value() throws(WireError) -> NativeValue {
        guard let type = NativeValueType(rawValue: UInt32(try u8())) else { throw .malformed("unknown value type") }
        switch type {
        case .void: return .void
        case .int64: return .int64(try i64())
        case .int32: return .int32(try i32())
        case .double: return .double(try double())
        case .bool: return .bool(try bool())
        case .string: return .string(try string())
        }
    }
}
