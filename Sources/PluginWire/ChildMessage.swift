public import PluginNative

/// A frame a plugin-host child sends to the server: its load outcome, a call's answer, or a
/// host service request made by the plugin during a call.
public enum ChildMessage: Sendable {
    /// The plugin loaded; its descriptor (typed tools without their function pointers).
    case ready(NativeDescriptor)
    /// The plugin did not load: the loader's message.
    case loadFailed(String)
    /// The answer to `create`.
    case created(status: Int32, error: String?)
    /// The answer to `destroy`.
    case destroyed
    /// The answer to `hook`.
    case result(status: Int32, output: [UInt8]?, error: String?)
    /// The answer to `typedCall`: the value, or why there is none.
    case typedResult(NativeValue?, failure: String?)
    /// A log line (no answer expected).
    case log(level: Int32, message: String, fields: [(key: String, value: String)])
    /// An outbound HTTP request; answered by `ServerMessage.httpResponse`.
    case httpRequest(NativeHTTPRequest)
    /// Key-value requests; answered by `ServerMessage.keyValueResult`.
    case keyValueGet(key: [UInt8])
    case keyValueSet(key: [UInt8], value: [UInt8])
    case keyValueDelete(key: [UInt8])

    private enum Kind: UInt8 {
        case ready = 1, loadFailed, created, destroyed, result, typedResult, log, httpRequest, keyValueGet, keyValueSet, keyValueDelete
    }

    public func encoded() -> (kind: UInt8, payload: [UInt8]) {
        var encoder = WireEncoder()
        let kind: Kind
        switch self {
        case .ready(let descriptor):
            kind = .ready
            encoder.descriptor(descriptor)
        case .loadFailed(let message):
            kind = .loadFailed
            encoder.string(message)
        case .created(let status, let error):
            kind = .created
            encoder.i32(status)
            encoder.optionalString(error)
        case .destroyed:
            kind = .destroyed
        case .result(let status, let output, let error):
            kind = .result
            encoder.i32(status)
            encoder.optionalData(output)
            encoder.optionalString(error)
        case .typedResult(let value, let failure):
            kind = .typedResult
            encoder.bool(value != nil)
            if let value { encoder.value(value) }
            encoder.optionalString(failure)
        case .log(let level, let message, let fields):
            kind = .log
            encoder.i32(level)
            encoder.string(message)
            encoder.fields(fields.map { ($0.key, $0.value) })
        case .httpRequest(let request):
            kind = .httpRequest
            encoder.string(request.method)
            encoder.string(request.url)
            encoder.fields(request.headers.map { ($0.name, $0.value) })
            encoder.data(request.body)
            encoder.u32(request.timeoutMilliseconds)
        case .keyValueGet(let key):
            kind = .keyValueGet
            encoder.data(key)
        case .keyValueSet(let key, let value):
            kind = .keyValueSet
            encoder.data(key)
            encoder.data(value)
        case .keyValueDelete(let key):
            kind = .keyValueDelete
            encoder.data(key)
        }
        return (kind.rawValue, encoder.bytes)
    }

    public init(kind: UInt8, payload: [UInt8]) throws(WireError) {
        var decoder = WireDecoder(payload)
        switch Kind(rawValue: kind) {
        case .ready: self = .ready(try decoder.descriptor())
        case .loadFailed: self = .loadFailed(try decoder.string())
        case .created: self = .created(status: try decoder.i32(), error: try decoder.optionalString())
        case .destroyed: self = .destroyed
        case .result: self = .result(status: try decoder.i32(), output: try decoder.optionalData(), error: try decoder.optionalString())
        case .typedResult:
            let value: NativeValue? = try decoder.bool() ? try decoder.value() : nil
            self = .typedResult(value, failure: try decoder.optionalString())
        case .log:
            self = .log(level: try decoder.i32(), message: try decoder.string(), fields: try decoder.fields().map { (key: $0.0, value: $0.1) })
        case .httpRequest:
            self = .httpRequest(NativeHTTPRequest(
                method: try decoder.string(), url: try decoder.string(),
                headers: try decoder.fields().map { (name: $0.0, value: $0.1) },
                body: try decoder.data(), timeoutMilliseconds: try decoder.u32()
            ))
        case .keyValueGet: self = .keyValueGet(key: try decoder.data())
        case .keyValueSet: self = .keyValueSet(key: try decoder.data(), value: try decoder.data())
        case .keyValueDelete: self = .keyValueDelete(key: try decoder.data())
        case nil: throw .malformed("unknown child message kind \(kind)")
        }
    }
}

extension WireEncoder {
    mutating func descriptor(_ d: NativeDescriptor) {
        u32(UInt32(d.structSize))
        u32(UInt32(d.abiMajor))
        u32(UInt32(d.abiMinor))
        optionalString(d.id)
        optionalString(d.name)
        optionalString(d.version)
        optionalString(d.category)
        optionalString(d.description)
        u32(d.capabilities)
        optionalString(d.configSchema)
        for flag in [d.hasCreate, d.hasDestroy, d.hasAgentQuery, d.hasApprovalCreated, d.hasDocumentReady, d.hasToolInvoke] {
            bool(flag)
        }
        u32(UInt32(d.tools.count))
        for tool in d.tools {
            optionalString(tool.name)
            optionalString(tool.description)
            optionalString(tool.inputSchema)
            switch tool.kind {
            case .json: u32(0)
            case .typed: u32(1)
            case .unknown(let raw): u32(raw)
            }
            u32(UInt32(tool.parameters.count))
            for parameter in tool.parameters {
                string(parameter.name)
                u32(parameter.type.rawValue)
                optionalString(parameter.description)
            }
            u32(tool.resultType.rawValue)
        }
    }
}

extension WireDecoder {
    mutating func descriptor() throws(WireError) -> NativeDescriptor {
        let structSize = Int(try u32())
        let abiMajor = Int(try u32())
        let abiMinor = Int(try u32())
        let id = try optionalString()
        let name = try optionalString()
        let version = try optionalString()
        let category = try optionalString()
        let description = try optionalString()
        let capabilities = try u32()
        let configSchema = try optionalString()
        var flags: [Bool] = []
        for _ in 0..<6 { flags.append(try bool()) }
        let toolCount = Int(try u32())
        guard toolCount <= 1024 else { throw .malformed("\(toolCount) tools") }
        var tools: [NativeTool] = []
        for _ in 0..<toolCount {
            let toolName = try optionalString()
            let toolDescription = try optionalString()
            let inputSchema = try optionalString()
            let rawKind = try u32()
            let kind: NativeTool.Kind = switch rawKind {
            case 0: .json
            case 1: .typed
            default: .unknown(rawKind)
            }
            let parameterCount = Int(try u32())
            guard parameterCount <= 16 else { throw .malformed("\(parameterCount) parameters") }
            var parameters: [NativeTool.Parameter] = []
            for _ in 0..<parameterCount {
                let parameterName = try string()
                guard let type = NativeValueType(rawValue: try u32()) else { throw .malformed("parameter type") }
                parameters.append(NativeTool.Parameter(name: parameterName, type: type, description: try optionalString()))
            }
            guard let resultType = NativeValueType(rawValue: try u32()) else { throw .malformed("result type") }
            tools.append(NativeTool(
                name: toolName, description: toolDescription, inputSchema: inputSchema, kind: kind,
                parameters: parameters, resultType: resultType
            ))
        }
        return NativeDescriptor(
            structSize: structSize, abiMajor: abiMajor, abiMinor: abiMinor, id: id, name: name, version: version,
            category: category, description: description, capabilities: capabilities, configSchema: configSchema,
            hasCreate: flags[0], hasDestroy: flags[1], hasAgentQuery: flags[2], hasApprovalCreated: flags[3],
            hasDocumentReady: flags[4], hasToolInvoke: flags[5], tools: tools
        )
    }
}
