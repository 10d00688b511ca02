/// The one id syntax of the API (namespaces, departments, plugins): 1 to 64
/// characters of `a-z 0-9 _ -`, starting with a letter or digit.
enum Identifier {
    static func isValid(_ value: some StringProtocol) -> Bool {
        let bytes = Array(value.utf8)
        guard (1...64).contains(bytes.count), isLowerAlphanumeric(bytes[0]) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// `value` when valid. - Throws: 400 naming `what`.
    static func validated(_ value: String, as what: String) throws(APIError) -> String {
        guard isValid(value) else { throw .invalidId(what, value) }
        return value
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
