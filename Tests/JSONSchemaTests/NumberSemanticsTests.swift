import AgentCoreJSON
import JSONSchema
import Testing

/// Numbers are exact decimals: no precision is lost and 1.0 is an integer.
@Suite struct NumberSemanticsTests {
    func number(_ literal: String) -> JSONValue { .number(JSONNumber(literal: literal)!) }

    @Test func largeIntegersCompareExactlyAgainstMaximum() throws {
        let schema = try JSONSchema(compiling: #"{"maximum": 12345678901234567889}"#)
        #expect(schema.isValid(number("12345678901234567889")))
        #expect(schema.validate(number("12345678901234567890")).map(\.description) == ["/: must be <= 12345678901234567889"])
    }

    @Test func largeIntegersAreDistinctInEnum() throws {
        // As doubles both are 9007199254740992.
        let schema = try JSONSchema(compiling: #"{"enum": [9007199254740993]}"#)
        #expect(schema.isValid(number("9007199254740993")))
        #expect(!schema.isValid(number("9007199254740992")))
    }

    @Test func onepoint0IsAnInteger() throws {
        let schema = try JSONSchema(compiling: #"{"type": "integer"}"#)
        #expect(schema.isValid(number("1.0")))
        #expect(schema.isValid(number("1e3")))
        #expect(schema.validate(number("1.5")).map(\.description) == ["/: must be an integer, got number"])
    }

    @Test func multipleOfIsExactForDecimals() throws {
        let schema = try JSONSchema(compiling: #"{"multipleOf": 0.01}"#)
        #expect(schema.isValid(number("19.99")))
        #expect(schema.isValid(number("0.3")))
        #expect(schema.isValid(number("12345678901234567890.12")))
        #expect(schema.validate(number("19.999")).map(\.description) == ["/: must be a multiple of 0.01"])
    }

    @Test func multipleOfHandlesHugeExponents() throws {
        let schema = try JSONSchema(compiling: #"{"multipleOf": 0.5}"#)
        #expect(schema.isValid(number("1e308")))
        #expect(schema.isValid(number("2.5")))
        #expect(!schema.isValid(number("2.25")))
    }

    @Test func multipleOfWithLargeDivisor() throws {
        let schema = try JSONSchema(compiling: #"{"multipleOf": 123456789012345678901234567890}"#)
        #expect(schema.isValid(number("246913578024691357802469135780")))
        #expect(!schema.isValid(number("246913578024691357802469135781")))
    }

    @Test func equalityInEnumConstAndUniqueItemsIsJSONEquality() throws {
        let enumSchema = try JSONSchema(compiling: #"{"enum": [1, {"a": [1.0], "b": null}]}"#)
        #expect(enumSchema.isValid(number("1.00")))
        #expect(enumSchema.isValid(try JSONValue(parsing: #"{"b": null, "a": [1]}"#)))
        #expect(!enumSchema.isValid(true))
        let unique = try JSONSchema(compiling: #"{"uniqueItems": true}"#)
        #expect(
            unique.validate([1, "1", number("1.0")]).map(\.description) == [
                "/: must not contain duplicate items (items 0 and 2 are equal)"
            ])
    }

    @Test func stringLengthCountsCodePoints() throws {
        let schema = try JSONSchema(compiling: #"{"minLength": 2, "maxLength": 2}"#)
        #expect(schema.isValid("🐲é"))
        #expect(!schema.isValid("🐲"))
    }

    @Test func canonicallyEquivalentStringsAreDifferentValues() throws {
        let schema = try JSONSchema(compiling: #"{"const": "\u00e9"}"#)
        #expect(schema.isValid("\u{e9}"))
        #expect(!schema.isValid("e\u{301}"))
    }
}
