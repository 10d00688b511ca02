import AgentCoreJSON
import JSONSchema
import PluginNative

/// One version of a plugin that passed every load check: the code behind it (in this process
/// or in a plugin-host child), its descriptor in Swift form, compiled schemas, the threads
/// its calls run on and its crash record.
///
/// Every instance and every call in flight holds it, so when a reload or unload drops it,
/// `deinit` runs after the last of them: it stops the child (isolated) and the threads, and
/// the library closes with the last reference to its code.
final class LoadedPlugin: Sendable {
    let info: PluginInfo
    let code: any PluginCode
    let configSchema: JSONSchema
    /// Tools by name (empty unless the plugin declared the tools capability).
    let tools: [String: LoadedTool]
    let executor: PluginExecutor
    let health: PluginHealth
    /// The private copy the code was loaded from (directory plugins); removed with the plugin.
    let copy: PrivatePluginCopy?

    var id: String { info.id }
    var isolation: PluginIsolation { code.isolation }

    init(
        info: PluginInfo, code: any PluginCode, configSchema: JSONSchema, tools: [String: LoadedTool],
        maxThreads: Int, health: PluginHealth, copy: PrivatePluginCopy?
    ) {
        self.info = info
        self.code = code
        self.configSchema = configSchema
        self.tools = tools
        self.health = health
        self.copy = copy
        self.executor = PluginExecutor(name: info.id, maxThreads: maxThreads)
    }

    deinit {
        code.stop()
        executor.stop()
    }
}

/// One tool of a loaded plugin, with its compiled input schema.
struct LoadedTool: Sendable {
    enum Kind: Sendable {
        /// Invoked through `on_tool_invoke`.
        case json
        /// Called through libffi with arguments taken from the JSON input.
        case typed(parameters: [NativeTool.Parameter])
    }

    let definition: ToolDefinition
    let kind: Kind
    /// The schema the input must satisfy: the declared one, or for typed tools without one the derived one.
    let inputSchema: JSONSchema
    /// For typed tools that also declare a schema: the derived schema, checked too, since the
    /// arguments are converted by parameter type.
    let parameterSchema: JSONSchema?

    /// Every validation error of `input`, from the declared schema and the parameter schema.
    func validate(_ input: JSONValue) -> [ValidationError] {
        var errors = inputSchema.validate(input)
        if errors.isEmpty, let parameterSchema { errors = parameterSchema.validate(input) }
        return errors
    }

    /// The object schema derived from typed parameters: one required property per parameter,
    /// nothing else allowed; int32 parameters are bounded to int32's range.
    static func derivedSchema(for parameters: [NativeTool.Parameter]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in parameters {
            var property: [String: JSONValue] = ["type": .string(parameter.type.jsonSchemaType)]
            if parameter.type == .int32 {
                property["minimum"] = .number(JSONNumber(Int(Int32.min)))
                property["maximum"] = .number(JSONNumber(Int(Int32.max)))
            }
            if let description = parameter.description { property["description"] = .string(description) }
            properties[parameter.name] = .object(property)
        }
        return .object([
            "type": "object",
            "properties": .object(properties),
            "required": .array(parameters.map { .string($0.name) }),
            "additionalProperties": false,
        ])
    }

    /// The C arguments for a validated input, in parameter order, or why they cannot be formed.
    static func arguments(from input: JSONValue, parameters: [NativeTool.Parameter]) -> Result<[NativeValue], ArgumentError> {
        var arguments: [NativeValue] = []
        arguments.reserveCapacity(parameters.count)
        for parameter in parameters {
            let value = input[parameter.name]
            let argument: NativeValue? = switch parameter.type {
            case .void: nil
            case .int64: value?.int64Value.map(NativeValue.int64)
            case .int32: value?.int64Value.flatMap { Int32(exactly: $0) }.map(NativeValue.int32)
            case .double: value?.doubleValue.map(NativeValue.double)
            case .bool: value?.boolValue.map(NativeValue.bool)
            case .string: value?.stringValue.map(NativeValue.string)
            }
            guard let argument else {
                return .failure(ArgumentError(message: "parameter \(parameter.name) is not a \(parameter.type.jsonSchemaType)"))
            }
            if case .string(let text) = argument, text.utf8.contains(0) {
                return .failure(ArgumentError(message: "parameter \(parameter.name) contains a NUL character, which a C string cannot hold"))
            }
            arguments.append(argument)
        }
        return .success(arguments)
    }

    struct ArgumentError: Error {
        let message: String
    }
}
