import AgentCoreJSON
import PluginRuntime
import Testing

@Suite("Tools")
struct TypedToolTests {
    private func withTools(_ body: (TestRuntime) async throws -> Void) async throws {
        try await TestRuntime.with(fixtures: ["typed_tools"]) { (test: TestRuntime) async throws in
            test.enable(["typed-tools"])
            try await body(test)
        }
    }

    private func invoke(_ test: TestRuntime, _ tool: String, _ input: JSONValue) async throws(ToolInvocationError) -> JSONValue {
        try await test.runtime.invokeTool(namespaceId: "ns-1", pluginId: "typed-tools", tool: tool, input: input)
    }

    @Test func typedToolWithStringAndIntegerParametersReturnsItsString() async throws {
        try await withTools { (test: TestRuntime) async throws in
            #expect(try await invoke(test, "repeat", ["text": "ab", "count": 3]) == "ababab")
        }
    }

    @Test func typedToolWithInt64AndInt32ParametersReturnsItsInteger() async throws {
        try await withTools { (test: TestRuntime) async throws in
            #expect(try await invoke(test, "add", ["a": 9_000_000_000, "b": -2]) == 8_999_999_998)
        }
    }

    @Test func typedToolsReturnBooleansAndDoubles() async throws {
        try await withTools { (test: TestRuntime) async throws in
            #expect(try await invoke(test, "is_positive", ["x": 0.5]) == true)
            #expect(try await invoke(test, "is_positive", ["x": -3]) == false)
            #expect(try await invoke(test, "half", ["x": 3]) == 1.5)
        }
    }

    @Test func wrongTypedInputIsRefusedWithItsPathBeforeAnyCall() async throws {
        try await withTools { (test: TestRuntime) async throws in
            let error = await #expect(throws: ToolInvocationError.self) {
                _ = try await invoke(test, "repeat", ["text": "ab", "count": "three"])
            }
            guard case .invalidInput(let errors) = error else {
                Issue.record("unexpected error \(String(describing: error))")
                return
            }
            #expect(errors.map(\.instancePath.description) == ["/count"] && errors.map(\.keyword) == ["type"])
            #expect(try await invoke(test, "calls", [:]) == 0)
        }
    }

    @Test func missingAndExtraParametersAreRefused() async throws {
        try await withTools { (test: TestRuntime) async throws in
            let error = await #expect(throws: ToolInvocationError.self) {
                _ = try await invoke(test, "add", ["a": 1, "c": 2])
            }
            guard case .invalidInput(let errors) = error else {
                Issue.record("unexpected error \(String(describing: error))")
                return
            }
            #expect(Set(errors.map(\.keyword)) == ["required", "additionalProperties"])
            #expect(try await invoke(test, "calls", [:]) == 0)
        }
    }

    @Test func int32ParameterOutOfRangeIsRefused() async throws {
        try await withTools { (test: TestRuntime) async throws in
            let error = await #expect(throws: ToolInvocationError.self) {
                _ = try await invoke(test, "add", ["a": 1, "b": 3_000_000_000])
            }
            guard case .invalidInput(let errors) = error else {
                Issue.record("unexpected error \(String(describing: error))")
                return
            }
            #expect(errors.map(\.instancePath.description) == ["/b"])
        }
    }

    @Test func typedToolSchemaIsDerivedFromItsParameters() async throws {
        try await withTools { (test: TestRuntime) async throws in
            let tools = try await test.runtime.tools(namespaceId: "ns-1")
            #expect(tools.map(\.pluginId) == Array(repeating: "typed-tools", count: 6))
            let repeatTool = try #require(tools.first { $0.tool.name == "repeat" }?.tool)
            #expect(repeatTool.description == "repeats a text")
            #expect(repeatTool.inputSchema == [
                "type": "object",
                "properties": [
                    "text": ["type": "string", "description": "the text to repeat"],
                    "count": ["type": "integer", "description": "how many times"],
                ],
                "required": ["text", "count"],
                "additionalProperties": false,
            ])
        }
    }

    @Test func jsonToolReceivesItsValidatedInput() async throws {
        try await withTools { (test: TestRuntime) async throws in
            #expect(try await invoke(test, "echo", ["message": "hi"]) == ["message": "hi"])
            let error = await #expect(throws: ToolInvocationError.self) {
                _ = try await invoke(test, "echo", ["message": 5])
            }
            guard case .invalidInput(let errors) = error else {
                Issue.record("unexpected error \(String(describing: error))")
                return
            }
            #expect(errors.map(\.instancePath.description) == ["/message"])
        }
    }

    @Test func unknownToolAndPluginAreReported() async throws {
        try await withTools { (test: TestRuntime) async throws in
            let error = await #expect(throws: ToolInvocationError.self) {
                _ = try await invoke(test, "nope", [:])
            }
            guard case .toolNotFound(let pluginId, let tool) = error else {
                Issue.record("unexpected error \(String(describing: error))")
                return
            }
            #expect(pluginId == "typed-tools" && tool == "nope")
            let secondError = await #expect(throws: ToolInvocationError.self) {
                _ = try await test.runtime.invokeTool(namespaceId: "ns-1", pluginId: "other", tool: "x", input: [:])
            }
            guard case .pluginNotEnabled(let otherPlugin, let namespaceId) = secondError else {
                Issue.record("unexpected error \(String(describing: secondError))")
                return
            }
            #expect(otherPlugin == "other" && namespaceId == "ns-1")
        }
    }
}
