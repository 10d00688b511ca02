import AgentCoreJSON
import Foundation
import JSONSchema
import Testing

/// What `agentcore schema validate` reports, through the library function it calls.
@Suite struct SchemaFileValidationTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func validInstanceIsValid() throws {
        let schema = try file("schema.json", ValidationErrorTests.webhooksSchema)
        let instance = try file("config.json", #"{"url": "https://example.com/hook"}"#)
        #expect(SchemaFileValidation.run(schemaPath: schema, instancePath: instance) == .valid)
    }

    @Test func invalidInstanceListsEveryError() throws {
        let schema = try file("schema.json", ValidationErrorTests.webhooksSchema)
        let instance = try file("config.json", #"{"events": ["x"], "secret": 1}"#)
        guard case .invalid(let errors) = SchemaFileValidation.run(schemaPath: schema, instancePath: instance) else {
            Issue.record("expected invalid")
            return
        }
        #expect(
            errors.map(\.description) == [
                "/: missing required property \"url\"",
                "/events/0: must be one of approval.created, document.ready",
                "/secret: must be a string, got number",
            ])
    }

    @Test func missingFileIsUnusableAndNamed() throws {
        let schema = try file("schema.json", "{}")
        let missing = directory.appendingPathComponent("missing.json").path
        #expect(
            SchemaFileValidation.run(schemaPath: schema, instancePath: missing)
                == .unusable("cannot read instance file \(missing): No such file or directory"))
    }

    @Test func invalidJSONIsUnusableAndNamed() throws {
        let schema = try file("schema.json", #"{"type": }"#)
        let instance = try file("config.json", "{}")
        #expect(
            SchemaFileValidation.run(schemaPath: schema, instancePath: instance)
                == .unusable("schema file \(schema) is not valid JSON: invalid JSON at byte 9: unexpected character '}', expected a value"))
    }

    @Test func invalidSchemaIsUnusableWithItsPath() throws {
        let schema = try file("schema.json", #"{"properties": {"a": {"minLength": -1}}}"#)
        let instance = try file("config.json", "{}")
        #expect(
            SchemaFileValidation.run(schemaPath: schema, instancePath: instance)
                == .unusable(
                    "schema file \(schema) is not a valid schema: invalid schema at /properties/a/minLength: minLength must be a non-negative integer, got -1"
                ))
    }
}
