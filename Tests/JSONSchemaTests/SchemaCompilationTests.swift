import AgentCoreJSON
import JSONSchema
import Testing

/// Invalid schemas are refused when compiled, with the location of the problem.
@Suite struct SchemaCompilationTests {
    func refusal(_ text: String) -> SchemaCompilationError? {
        do {
            _ = try JSONSchema(compiling: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func typeMustNameATypeName() {
        let error = refusal(#"{"type": 12}"#)
        #expect(error?.schemaPath.description == "/type")
        #expect(error?.message == "type must be a type name or a non-empty array of type names, got 12")
    }

    @Test func unknownTypeNameIsRefused() {
        #expect(refusal(#"{"properties": {"a": {"type": "text"}}}"#)?.schemaPath.description == "/properties/a/type")
    }

    @Test func negativeLengthIsRefusedWithItsPath() {
        let error = refusal(#"{"properties": {"url": {"minLength": -1}}}"#)
        #expect(
            error?.description
                == "invalid schema at /properties/url/minLength: minLength must be a non-negative integer, got -1")
    }

    @Test func badRegexIsRefused() {
        #expect(
            refusal(#"{"pattern": "[a-z"}"#)?.description
                == "invalid schema at /pattern: pattern \"[a-z\" is not a valid regular expression")
        #expect(refusal(#"{"patternProperties": {"(?i)x": true}}"#)?.schemaPath.description == "/patternProperties")
    }

    @Test func unresolvableReferenceIsRefused() {
        let error = refusal(##"{"items": {"$ref": "#/$defs/missing"}}"##)
        #expect(error?.schemaPath.description == "/items/$ref")
        #expect(error?.message == "cannot resolve reference \"#/$defs/missing\": nothing at /$defs/missing")
        #expect(refusal(#"{"$ref": "other.json"}"#)?.schemaPath.description == "/$ref")
    }

    @Test func nonSchemaValuesAreRefused() {
        #expect(refusal("42")?.message == "a schema must be an object or a boolean, got integer")
        #expect(refusal(#"{"allOf": []}"#)?.schemaPath.description == "/allOf")
        #expect(refusal(#"{"required": ["a", "a"]}"#)?.message == "required lists \"a\" twice")
        #expect(refusal(#"{"multipleOf": 0}"#)?.schemaPath.description == "/multipleOf")
    }

    @Test func unparsableTextIsRefusedWithTheParseError() {
        let error = refusal(#"{"type": }"#)
        #expect(error?.schemaPath == .root)
        #expect(error?.message.hasPrefix("invalid JSON at byte") == true)
    }

    @Test func unknownKeywordsAndFormatsAreIgnored() throws {
        let schema = try JSONSchema(compiling: #"{"x-ui": {"widget": "secret"}, "format": "color"}"#)
        #expect(schema.isValid("anything"))
    }

    @Test func remoteResolverLoadsReferencedDocuments() throws {
        let schema = try JSONSchema(
            compiling: ["$ref": "https://schemas.example/port.json#/$defs/port"],
            remoteResolver: { uri in
                uri == "https://schemas.example/port.json" ? ["$defs": ["port": ["type": "integer"]]] : nil
            })
        #expect(schema.isValid(8080))
        #expect(!schema.isValid("8080"))
    }

    @Test func metaSchemaIsBundled() throws {
        let schema = try JSONSchema(compiling: #"{"$ref": "https://json-schema.org/draft/2020-12/schema"}"#)
        #expect(schema.isValid(["type": "string", "minLength": 1]))
        #expect(!schema.isValid(["minLength": -1]))
    }

    @Test func recursiveSchemasValidateNestedData() throws {
        let schema = try JSONSchema(
            compiling: ##"{"type": "object", "properties": {"name": {"type": "string"}, "children": {"items": {"$ref": "#"}}}}"##)
        #expect(schema.isValid(["name": "a", "children": [["name": "b", "children": [["name": "c"]]]]]))
        #expect(
            schema.validate(["children": [["children": [["name": 1]]]]]).map(\.description) == [
                "/children/0/children/0/name: must be a string, got number"
            ])
    }

    @Test func referenceLoopWithoutProgressFailsInsteadOfHanging() throws {
        let schema = try JSONSchema(compiling: ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##)
        #expect(!schema.isValid(1))
    }
}
