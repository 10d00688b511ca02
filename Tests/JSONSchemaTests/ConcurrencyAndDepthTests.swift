import AgentCoreJSON
import JSONSchema
import Testing

/// One compiled schema serves many validations at once, and deep documents.
@Suite struct ConcurrencyAndDepthTests {
    @Test func oneSchemaValidatesFromManyTasksAtOnce() async throws {
        let schema = try JSONSchema(
            compiling: #"{"properties": {"name": {"pattern": "^[a-z]+$"}, "id": {"format": "uuid"}}, "required": ["name"]}"#)
        let results = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for round in 0..<500 {
                        let name: JSONValue = (task + round) % 2 == 0 ? "valid" : "Invalid"
                        failures += schema.validate(["name": name, "id": "2eb8aa08-aa98-11ea-b4aa-73b441d16380"]).count
                    }
                    return failures
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.reduce(0, +) == 8 * 250)
    }

    @Test func deeplyNestedDocumentsValidateThroughRecursiveReferences() throws {
        let schema = try JSONSchema(compiling: ##"{"type": ["array", "integer"], "items": {"$ref": "#"}}"##)
        var value: JSONValue = 1
        for _ in 0..<500 { value = [value] }
        #expect(schema.isValid(value))
        var invalid: JSONValue = "leaf"
        for _ in 0..<500 { invalid = [invalid] }
        let errors = schema.validate(invalid)
        #expect(errors.count == 1)
        #expect(errors.first?.instancePath.tokens.count == 500)
    }
}
