import AgentCoreJSON
import JSONSchema
import Testing

/// `default`, `writeOnly`, `title` and `description`.
@Suite struct AnnotationTests {
    @Test func defaultsFillMissingPropertiesOnly() throws {
        let schema = try JSONSchema(compiling: ValidationErrorTests.webhooksSchema)
        let filled = schema.applyingDefaults(to: ["url": "https://x.example", "signatureScheme": "standard-webhooks"])
        #expect(
            filled == [
                "url": "https://x.example", "signatureScheme": "standard-webhooks",
                "events": ["approval.created", "document.ready"],
            ])
    }

    @Test func defaultsApplyToNestedObjectsArraysAndInsertedValues() throws {
        let schema = try JSONSchema(
            compiling: #"""
                {"properties": {
                  "retry": {"type": "object", "default": {}, "properties": {
                    "max": {"default": 3},
                    "backoff": {"$ref": "#/$defs/backoff"}
                  }},
                  "targets": {"items": {"properties": {"port": {"default": 443}}}}
                },
                "$defs": {"backoff": {"enum": ["linear", "exponential"], "default": "exponential"}}}
                """#)
        let filled = schema.applyingDefaults(to: ["targets": [["host": "a"], ["host": "b", "port": 80]]])
        #expect(
            filled == [
                "retry": ["max": 3, "backoff": "exponential"],
                "targets": [["host": "a", "port": 443], ["host": "b", "port": 80]],
            ])
    }

    @Test func defaultsLeaveNonObjectsAlone() throws {
        let schema = try JSONSchema(compiling: #"{"properties": {"a": {"default": 1}}}"#)
        #expect(schema.applyingDefaults(to: "text") == "text")
        #expect(schema.applyingDefaults(to: [1, 2]) == [1, 2])
    }

    @Test func recursiveDefaultsStop() throws {
        let schema = try JSONSchema(compiling: ##"{"properties": {"child": {"$ref": "#", "default": {}}}}"##)
        var value = schema.applyingDefaults(to: [:])
        var depth = 0
        while let child = value["child"] {
            depth += 1
            value = child
        }
        #expect(depth == 32)
    }

    @Test func writeOnlyPathsListPresentSecretValues() throws {
        let schema = try JSONSchema(
            compiling: #"""
                {"properties": {
                  "secret": {"type": "string", "writeOnly": true},
                  "accounts": {"items": {"properties": {"token": {"$ref": "#/$defs/secret"}, "name": {}}}},
                  "nested": {"properties": {"key": {"writeOnly": true, "properties": {"inner": {"writeOnly": true}}}}}
                },
                "$defs": {"secret": {"type": "string", "writeOnly": true}}}
                """#)
        let config: JSONValue = [
            "secret": "s", "accounts": [["name": "a", "token": "t1"], ["name": "b"], ["token": "t3"]],
            "nested": ["key": ["inner": "x"]],
        ]
        #expect(
            schema.writeOnlyPaths(in: config).map(\.description) == [
                "/accounts/0/token", "/accounts/2/token", "/nested/key", "/secret",
            ])
        #expect(schema.writeOnlyPaths(in: ["accounts": []]) == [])
    }

    @Test func writeOnlyFollowsTheMatchingConditionalBranch() throws {
        let schema = try JSONSchema(
            compiling: #"""
                {"if": {"properties": {"kind": {"const": "token"}}},
                 "then": {"properties": {"value": {"writeOnly": true}}}}
                """#)
        #expect(schema.writeOnlyPaths(in: ["kind": "token", "value": "v"]).map(\.description) == ["/value"])
        #expect(schema.writeOnlyPaths(in: ["kind": "name", "value": "v"]) == [])
    }

    @Test func titleAndDescriptionOfTheRootAreKept() throws {
        let schema = try JSONSchema(compiling: #"{"title": "Webhooks", "description": "Delivers events.", "type": "object"}"#)
        #expect(schema.title == "Webhooks")
        #expect(schema.description == "Delivers events.")
        #expect(schema.source["title"] == "Webhooks")
    }
}
