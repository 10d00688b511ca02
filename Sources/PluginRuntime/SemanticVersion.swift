/// Checks of the semver 2.0.0 grammar (https://semver.org), for plugin versions.
enum SemanticVersion {
    /// True for `MAJOR.MINOR.PATCH[-prerelease][+build]` with the spec's rules on leading zeros and identifiers.
    static func isValid(_ text: String) -> Bool {
        var core = Substring(text)
        var build: Substring?
        if let plus = core.firstIndex(of: "+") {
            build = core[core.index(after: plus)...]
            core = core[..<plus]
        }
        var prerelease: Substring?
        if let dash = core.firstIndex(of: "-") {
            prerelease = core[core.index(after: dash)...]
            core = core[..<dash]
        }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3, numbers.allSatisfy(isNumericIdentifier) else { return false }
        if let prerelease {
            let parts = prerelease.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ isAlphanumericIdentifier($0) || isNumericIdentifier($0) }) else { return false }
            // A purely numeric prerelease identifier must not have leading zeros.
            guard parts.allSatisfy({ !$0.allSatisfy(\.isASCIIDigit) || isNumericIdentifier($0) }) else { return false }
        }
        if let build {
            let parts = build.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isIdentifierCharacter) }) else { return false }
        }
        return true
    }

    private static func isNumericIdentifier(_ part: Substring) -> Bool {
        guard !part.isEmpty, part.allSatisfy(\.isASCIIDigit) else { return false }
        return part == "0" || part.first != "0"
    }

    private static func isAlphanumericIdentifier(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy(isIdentifierCharacter) && !part.allSatisfy(\.isASCIIDigit)
    }

    private static func isIdentifierCharacter(_ character: Character) -> Bool {
        character == "-" || character.isASCIIDigit || (character.isASCII && character.isLetter)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
