import AgentCoreJSON
import JSONSchema
import Testing

/// Error reports: every error, each with its instance path, keyword, schema path and message.
@Suite struct ValidationErrorTests {
    static let webhooksSchema = """
        {
          "type": "object",
          "required": ["url"],
          "additionalProperties": false,
          "properties": {
            "url": {"type": "string", "format": "uri"},
            "secret": {"type": "string", "writeOnly": true},
            "events": {
              "type": "array",
              "items": {"enum": ["approval.created", "document.ready"]},
              "default": ["approval.created", "document.ready"]
            },
            "signatureScheme": {"enum": ["agentcore", "standard-webhooks"], "default": "agentcore"}
          }
        }
        """

    static let nestedSchema = """
        {
          "type": "object",
          "properties": {
            "retry": {
              "type": "object",
              "properties": {"max": {"type": "integer", "maximum": 10}, "backoff": {"enum": ["linear", "exponential"]}}
            },
            "targets": {
              "type": "array",
              "items": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string", "minLength": 1}, "port": {"type": "integer"}}
              }
            }
          }
        }
        """

    @Test func validInstanceHasNoErrors() throws {
        let schema = try JSONSchema(compiling: Self.webhooksSchema)
        let config: JSONValue = ["url": "https://hooks.example.com/in", "secret": "s", "events": ["document.ready"]]
        #expect(schema.validate(config) == [])
        #expect(schema.isValid(config))
    }

    @Test func everyErrorIsReportedWithPathAndMessage() throws {
        let schema = try JSONSchema(compiling: Self.webhooksSchema)
        let config: JSONValue = ["secret": 42, "events": ["approval.created", "approval.deleted"], "colour": "red"]
        #expect(
            schema.validate(config).map(\.description) == [
                "/: property \"colour\" is not allowed",
                "/: missing required property \"url\"",
                "/events/1: must be one of approval.created, document.ready",
                "/secret: must be a string, got number",
            ])
    }

    @Test func errorsCarryKeywordAndSchemaPath() throws {
        let schema = try JSONSchema(compiling: Self.webhooksSchema)
        let errors = schema.validate(["url": "not a uri", "events": ["nope"]])
        #expect(
            errors == [
                ValidationError(
                    instancePath: JSONPointer(tokens: ["events", "0"]), keyword: "enum",
                    schemaPath: JSONPointer(tokens: ["properties", "events", "items", "enum"]),
                    message: "must be one of approval.created, document.ready"),
                ValidationError(
                    instancePath: JSONPointer(tokens: ["url"]), keyword: "format",
                    schemaPath: JSONPointer(tokens: ["properties", "url", "format"]),
                    message: "must match format \"uri\""),
            ])
    }

    @Test func nestedObjectsAndArraysReportFullPaths() throws {
        let schema = try JSONSchema(compiling: Self.nestedSchema)
        let config: JSONValue = [
            "retry": ["max": 11, "backoff": "random"],
            "targets": [["name": "a"], ["port": 80], ["name": "", "port": 1.5]],
        ]
        #expect(
            schema.validate(config).map(\.description) == [
                "/retry/backoff: must be one of linear, exponential",
                "/retry/max: must be <= 10",
                "/targets/1: missing required property \"name\"",
                "/targets/2/name: must be at least 1 character long",
                "/targets/2/port: must be an integer, got number",
            ])
    }

    @Test func arrayIndexesSortNumerically() throws {
        let schema = try JSONSchema(compiling: #"{"items": {"type": "string"}}"#)
        let items = JSONValue.array((0..<12).map { _ in 0 })
        let paths = schema.validate(items).map(\.instancePath.description)
        #expect(paths == (0..<12).map { "/\($0)" })
    }

    @Test func typeMessagesNameExpectedAndActualTypes() throws {
        let schema = try JSONSchema(compiling: #"{"properties": {"a": {"type": ["string", "null"]}, "b": {"type": "object"}}}"#)
        #expect(
            schema.validate(["a": true, "b": [1]]).map(\.description) == [
                "/a: must be a string or null, got boolean",
                "/b: must be an object, got array",
            ])
    }

    @Test func referencedDefinitionsReportTheirOwnSchemaPath() throws {
        let schema = try JSONSchema(
            compiling: ##"{"$defs": {"port": {"type": "integer", "minimum": 1}}, "properties": {"port": {"$ref": "#/$defs/port"}}}"##)
        let errors = schema.validate(["port": 0])
        #expect(errors.map(\.schemaPath.description) == ["/$defs/port/minimum"])
        #expect(errors.map(\.description) == ["/port: must be >= 1"])
    }

    @Test func combinatorsReportOneErrorAtTheirLocation() throws {
        let schema = try JSONSchema(
            compiling: #"""
                {"properties": {
                  "a": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                  "o": {"oneOf": [{"minimum": 0}, {"maximum": 10}]},
                  "n": {"not": {"const": "admin"}}
                }}
                """#)
        #expect(
            schema.validate(["a": 1.5, "o": 5, "n": "admin"]).map(\.description) == [
                "/a: must match at least one of the anyOf schemas",
                "/n: must not match the schema in not",
                "/o: must match exactly one of the oneOf schemas, matched 0 and 1",
            ])
    }

    @Test func propertyNamesErrorsNameTheProperty() throws {
        let schema = try JSONSchema(compiling: #"{"propertyNames": {"pattern": "^[a-z]+$"}}"#)
        #expect(
            schema.validate(["ok": 1, "Bad": 2]).map(\.description) == [
                "/: property name \"Bad\" must match pattern \"^[a-z]+$\""
            ])
    }

    @Test func dependentRequiredNamesBothProperties() throws {
        let schema = try JSONSchema(compiling: #"{"dependentRequired": {"secret": ["algorithm"]}}"#)
        #expect(
            schema.validate(["secret": "x"]).map(\.description) == [
                "/: property \"algorithm\" is required when \"secret\" is present"
            ])
    }

    @Test func containsBoundsAreReported() throws {
        let schema = try JSONSchema(compiling: #"{"contains": {"type": "integer"}, "minContains": 2, "maxItems": 2}"#)
        #expect(
            schema.validate([1, "a", "b"]).map(\.description) == [
                "/: must have at most 2 items",
                "/: must contain at least 2 items matching the contains schema",
            ])
    }

    @Test func rootPathPrintsAsSlash() {
        let error = ValidationError(instancePath: .root, keyword: "type", schemaPath: .root, message: "must be an object")
        #expect(error.description == "/: must be an object")
    }

    @Test func falseSchemaRejectsAnyValue() throws {
        let schema = try JSONSchema(compiling: #"{"properties": {"legacy": false}}"#)
        #expect(schema.validate(["legacy": 1]).map(\.description) == ["/legacy: is not allowed"])
        #expect(schema.isValid(["other": 1]))
    }
}
