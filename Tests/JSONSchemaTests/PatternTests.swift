import AgentCoreJSON
import JSONSchema
import Testing

/// `pattern` follows ECMA-262 where ICU would differ.
@Suite struct PatternTests {
    func matches(_ pattern: String, _ text: String) throws -> Bool {
        try JSONSchema(compiling: ["pattern": .string(pattern)]).isValid(.string(text))
    }

    @Test func dollarDoesNotMatchBeforeATrailingNewline() throws {
        #expect(try matches("^abc$", "abc"))
        #expect(try !matches("^abc$", "abc\n"))
    }

    @Test func shorthandClassesAreASCII() throws {
        #expect(try !matches("^\\d$", "\u{0664}"))
        #expect(try !matches("^\\w$", "é"))
        #expect(try matches("^[\\w-]+$", "a-b_c"))
        #expect(try matches("^\\s$", "\u{FEFF}"))
    }

    @Test func patternsAreUnanchoredSearches() throws {
        #expect(try matches("b+", "abbbc"))
    }

    @Test func braceThatIsNotAQuantifierIsLiteral() throws {
        #expect(try matches("^a{,3}$", "a{,3}"))
        #expect(try matches("^x{2}$", "xx"))
    }

    @Test func unicodeEscapesAndPropertiesWork() throws {
        #expect(try matches("^\\u{1F432}$", "🐲"))
        #expect(try matches("^\\uD83D\\uDC32$", "🐲"))
        #expect(try matches("^\\p{Lu}", "Élan"))
    }
}
