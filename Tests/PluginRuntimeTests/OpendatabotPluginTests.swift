import AgentCoreJSON
import Logging
import PluginRuntime
import Testing

/// The opendatabot built-in (C), loaded from its real .so through the runtime like any plugin.
@Suite struct OpendatabotPluginTests {
    static let namespaceId = "ns-opendatabot"

    /// The record of 14360570 (weights 1..7, first pass), fixed by the plugin's seeded tables.
    static let record14360570 = #"""
        {"code":"14360570","valid":true,"name":"АТ \"Карпатилайн\"","status":"зареєстровано",
         "address":"21836, Україна, м. Вінниця, вул. Коцюбинського, буд. 43",
         "director":"Савченко Наталія Богданівна","registrationDate":"2000-05-09"}
        """#

    /// Runs `body` with a runtime that loaded the built-ins from the test binary's directory and
    /// has opendatabot enabled (config `{}`) in `namespaceId`.
    private func withRuntime(_ body: (PluginRuntime) async throws -> Void) async throws {
        let installs = OpendatabotTestInstalls(namespaces: [
            Self.namespaceId: NamespaceInstalls(
                namespaceId: Self.namespaceId, departmentId: "dep-opendatabot",
                installs: [PluginInstall(pluginId: "opendatabot", enabled: true, config: [:])]
            ),
        ])
        let runtime = PluginRuntime(
            configuration: PluginRuntimeConfiguration(builtinDirectory: nil, pluginDirectories: []),
            installSource: installs, keyValueStore: InMemoryKeyValueStore(),
            logger: Logger(label: "test.opendatabot")
        )
        await runtime.loadPlugins()
        do {
            try #require(runtime.plugin(id: "opendatabot") != nil, "loaded from the test binary's directory")
            try await body(runtime)
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }

    private func queryResult(_ runtime: PluginRuntime, _ query: String) async throws -> PluginCallResult {
        let results = try await runtime.query(namespaceId: Self.namespaceId, query: query)
        try #require(results.count == 1)
        #expect(results[0].pluginId == "opendatabot")
        return results[0]
    }

    @Test func builtinDeclaresAgentQueryAndBothTools() async throws {
        try await withRuntime { runtime in
            let info = try #require(runtime.plugin(id: "opendatabot"))
            #expect(info.source == .builtin)
            #expect(info.capabilities == [.agentQuery, .tools])
            #expect(info.tools.map(\.name).sorted() == ["edrpou_is_valid", "lookup_company"])
            #expect(info.configSchema == (try JSONValue(parsing: #"{"type":"object","properties":{},"additionalProperties":false}"#)))
        }
    }

    @Test func validCodeGivesItsExactRecord() async throws {
        try await withRuntime { runtime in
            let result = try await queryResult(runtime, "Перевір контрагента з кодом 14360570, будь ласка")
            #expect(result.status == .ok)
            #expect(result.error == nil)
            #expect(result.data == (try JSONValue(parsing: #"{"companies":[\#(Self.record14360570)]}"#)))
        }
    }

    @Test func codeFailingTheChecksumIsReportedInvalidWithoutACompany() async throws {
        try await withRuntime { runtime in
            let result = try await queryResult(runtime, "ЄДРПОУ 32855968")
            #expect(result.status == .ok)
            #expect(result.data == (try JSONValue(parsing: #"{"companies":[{"code":"32855968","valid":false,"error":"checksum mismatch"}]}"#)))
        }
    }

    @Test func severalCodesGiveOneRecordEachInOrderOfFirstAppearance() async throws {
        try await withRuntime { runtime in
            // 32855961: weights 7,1,..; 21133352: second pass (+2 weights); 32855968: bad digit.
            let result = try await queryResult(runtime, "32855961, 32855968; 14360570 і знову 32855961, потім 21133352")
            #expect(result.status == .ok)
            let companies = try #require(result.data?["companies"]?.arrayValue)
            #expect(companies.map { $0["code"]?.stringValue } == ["32855961", "32855968", "14360570", "21133352"])
            #expect(companies.map { $0["valid"]?.boolValue } == [true, false, true, true])
            #expect(companies[2] == (try JSONValue(parsing: Self.record14360570)))
            #expect(companies[0]["name"]?.stringValue == #"ТОВ "Будсвіт""#)
        }
    }

    @Test func queryWithoutACodeHasNothingToAdd() async throws {
        try await withRuntime { runtime in
            let result = try await queryResult(runtime, "Які компанії працюють у Вінниці?")
            #expect(result.status == .ok)
            #expect(result.data == nil)
            #expect(result.error == nil)
        }
    }

    @Test func eightDigitsInsideALongerRunAreNotACode() async throws {
        try await withRuntime { runtime in
            let result = try await queryResult(runtime, "IBAN UA213223130000026007233566001, тел. 380441436057, 1436057")
            #expect(result.status == .ok)
            #expect(result.data == nil)
        }
    }

    @Test func recordIsTheSameOnEveryCall() async throws {
        try await withRuntime { runtime in
            let first = try await queryResult(runtime, "00032129")
            let second = try await queryResult(runtime, "код 00032129")
            #expect(first.data != nil)
            #expect(first.data == second.data)
        }
    }

    @Test func lookupCompanyToolReturnsTheSameRecordAsTheQuery() async throws {
        try await withRuntime { runtime in
            let output = try await runtime.invokeTool(
                namespaceId: Self.namespaceId, pluginId: "opendatabot", tool: "lookup_company", input: ["code": "14360570"])
            #expect(output == (try JSONValue(parsing: Self.record14360570)))
        }
    }

    @Test func lookupCompanyToolReportsAnInvalidCode() async throws {
        try await withRuntime { runtime in
            let output = try await runtime.invokeTool(
                namespaceId: Self.namespaceId, pluginId: "opendatabot", tool: "lookup_company", input: ["code": "32855968"])
            #expect(output == (try JSONValue(parsing: #"{"code":"32855968","valid":false,"error":"checksum mismatch"}"#)))
        }
    }

    @Test func lookupCompanyToolRefusesAnInputOutsideItsSchema() async throws {
        try await withRuntime { runtime in
            await #expect {
                _ = try await runtime.invokeTool(
                    namespaceId: Self.namespaceId, pluginId: "opendatabot", tool: "lookup_company", input: ["code": "1436057"])
            } throws: { error in
                guard case .invalidInput(let errors) = error as? ToolInvocationError else { return false }
                return errors.map(\.instancePath.description) == ["/code"]
            }
        }
    }

    @Test func typedToolChecksTheControlDigitThroughLibffi() async throws {
        try await withRuntime { runtime in
            var answers: [String: JSONValue] = [:]
            for code in ["32855961", "14360570", "21133352", "32855968", "1436057", "1436057a"] {
                answers[code] = try await runtime.invokeTool(
                    namespaceId: Self.namespaceId, pluginId: "opendatabot", tool: "edrpou_is_valid", input: ["code": .string(code)])
            }
            #expect(answers == [
                "32855961": true, "14360570": true, "21133352": true,
                "32855968": false, "1436057": false, "1436057a": false,
            ])
        }
    }
}

/// Installs served from memory: the registry's source for these tests.
private struct OpendatabotTestInstalls: PluginInstallSource {
    let namespaces: [String: NamespaceInstalls]

    func installs(namespaceId: String) async throws -> NamespaceInstalls? {
        namespaces[namespaceId]
    }
}
