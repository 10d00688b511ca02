/// The `format` values asserted by this validator; every other format is an annotation.
///
/// Each check is a hand-written parser over UTF-8 bytes for the grammar its
/// RFC gives: no regex, no Foundation, ASCII only where the RFC says so (so a
/// Bengali digit is never a digit).
enum StringFormat: String, Sendable, CaseIterable {
    case uri
    case email
    case dateTime = "date-time"
    case uuid
    case ipv4
    case hostname
    case regex

    /// True when `string` conforms.
    func accepts(_ string: String) -> Bool {
        switch self {
        case .hostname: return HostnameFormat.isHostname(string)
        case .regex: return (try? ECMARegex(string)) != nil
        default: break
        }
        var string = string
        // The parsers read the string's own UTF-8 storage: no copy on the request path.
        return string.withUTF8 { buffer in
            let bytes = buffer[...]
            switch self {
            case .uri: return FormatGrammar.isURI(bytes)
            case .email: return FormatGrammar.isEmail(bytes)
            case .dateTime: return FormatGrammar.isDateTime(bytes)
            case .uuid: return FormatGrammar.isUUID(bytes)
            case .ipv4: return FormatGrammar.isIPv4(bytes)
            case .hostname, .regex: return false
            }
        }
    }
}

/// RFC 3986, 5321, 3339, 4122 and 791 grammars as byte-level parsers.
enum FormatGrammar {
    /// UTF-8 bytes borrowed from a string.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    // MARK: Character classes

    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    static func isSubDelim(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            true
        default: false
        }
    }

    /// Checks `bytes` against `allowed` characters plus `%XX` escapes.
    static func isEncoded(_ bytes: Bytes, allowing allowed: (UInt8) -> Bool) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                    return false
                }
                index += 3
            } else {
                guard allowed(byte) else { return false }
                index += 1
            }
        }
        return true
    }

    static func isPathCharacter(_ byte: UInt8) -> Bool {
        isUnreserved(byte) || isSubDelim(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@")
            || byte == UInt8(ascii: "/")
    }

    static func isQueryCharacter(_ byte: UInt8) -> Bool {
        isPathCharacter(byte) || byte == UInt8(ascii: "?")
    }

    // MARK: uri (RFC 3986 §3, an absolute URI with optional fragment)

    static func isURI(_ bytes: Bytes) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > bytes.startIndex,
            isAlpha(bytes[bytes.startIndex])
        else { return false }
        for byte in bytes[(bytes.startIndex + 1)..<colon] {
            guard isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            else { return false }
        }
        var rest = bytes[(colon + 1)...]
        var fragment: Bytes?
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            fragment = rest[(hash + 1)...]
            rest = rest[..<hash]
        }
        var query: Bytes?
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[(question + 1)...]
            rest = rest[..<question]
        }
        if let fragment, !isEncoded(fragment, allowing: isQueryCharacter) { return false }
        if let query, !isEncoded(query, allowing: isQueryCharacter) { return false }
        var path = rest
        if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            let authorityStart = rest.startIndex + 2
            let authorityEnd = rest[authorityStart...].firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            guard isAuthority(rest[authorityStart..<authorityEnd]) else { return false }
            path = rest[authorityEnd...]
        }
        return isEncoded(path, allowing: isPathCharacter)
    }

    static func isAuthority(_ authority: Bytes) -> Bool {
        var host = authority
        if let at = authority.firstIndex(of: UInt8(ascii: "@")) {
            let userinfo = authority[..<at]
            guard isEncoded(userinfo, allowing: { isUnreserved($0) || isSubDelim($0) || $0 == UInt8(ascii: ":") })
            else { return false }
            host = authority[(at + 1)...]
        }
        var port = host[host.endIndex...]
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[(host.startIndex + 1)..<close]
            guard isIPv6(literal) || isIPvFuture(literal) else { return false }
            let after = host[(close + 1)...]
            if let first = after.first {
                guard first == UInt8(ascii: ":") else { return false }
                port = after.dropFirst()
            }
        } else {
            if let colon = host.firstIndex(of: UInt8(ascii: ":")) {
                port = host[(colon + 1)...]
                host = host[..<colon]
            }
            guard isEncoded(host, allowing: { isUnreserved($0) || isSubDelim($0) }) else { return false }
        }
        return port.allSatisfy(isDigit)
    }

    static func isIPvFuture(_ bytes: Bytes) -> Bool {
        guard bytes.first == UInt8(ascii: "v") || bytes.first == UInt8(ascii: "V"),
            let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        else { return false }
        let version = bytes[(bytes.startIndex + 1)..<dot]
        let rest = bytes[(dot + 1)...]
        return !version.isEmpty && version.allSatisfy(isHexDigit) && !rest.isEmpty
            && rest.allSatisfy { isUnreserved($0) || isSubDelim($0) || $0 == UInt8(ascii: ":") }
    }

    // MARK: ipv4 (dotted quad, RFC 2673 §3.2: no leading zeros)

    static func isIPv4(_ bytes: Bytes) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return false }
            if part.count > 1, part.first == UInt8(ascii: "0") { return false }
            var value = 0
            for byte in part { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
            guard value <= 255 else { return false }
        }
        return true
    }

    // MARK: ipv6 (RFC 4291 §2.2)

    static func isIPv6(_ bytes: Bytes) -> Bool {
        guard !bytes.isEmpty else { return false }
        var groups = 0
        var sawDoubleColon = false
        var index = bytes.startIndex
        if bytes.starts(with: [UInt8(ascii: ":"), UInt8(ascii: ":")]) {
            sawDoubleColon = true
            index += 2
            if index == bytes.endIndex { return true }
        } else if bytes.first == UInt8(ascii: ":") {
            return false
        }
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            let group = bytes[index..<end]
            if end == bytes.endIndex, group.contains(UInt8(ascii: ".")) {
                guard isIPv4(group) else { return false }
                groups += 2
                index = end
                break
            }
            guard (1...4).contains(group.count), group.allSatisfy(isHexDigit) else { return false }
            groups += 1
            index = end
            if index < bytes.endIndex {
                index += 1  // ':'
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") {
                    guard !sawDoubleColon else { return false }
                    sawDoubleColon = true
                    index += 1
                    if index == bytes.endIndex { break }
                } else if index == bytes.endIndex {
                    return false  // trailing single ':'
                }
            }
        }
        return sawDoubleColon ? groups < 8 : groups == 8
    }

    // MARK: email (RFC 5321 §4.1.2 Mailbox)

    static func isAtext(_ byte: UInt8) -> Bool {
        if isAlpha(byte) || isDigit(byte) { return true }
        return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    static func isEmail(_ bytes: Bytes) -> Bool {
        var index = bytes.startIndex
        if bytes.first == UInt8(ascii: "\"") {
            index += 1
            var closed = false
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.endIndex, (32...126).contains(bytes[index + 1]) else { return false }
                    index += 2
                } else if byte == UInt8(ascii: "\"") {
                    closed = true
                    index += 1
                    break
                } else {
                    guard (32...126).contains(byte) else { return false }
                    index += 1
                }
            }
            guard closed, index < bytes.endIndex, bytes[index] == UInt8(ascii: "@") else { return false }
        } else {
            guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
            let local = bytes[..<at]
            let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard atoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isAtext) }) else { return false }
            index = at
        }
        let domain = bytes[(index + 1)...]
        if domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]") {
            let literal = domain.dropFirst().dropLast()
            let prefix = Array("IPv6:".utf8)
            if literal.starts(with: prefix) {
                return isIPv6(literal.dropFirst(prefix.count))
            }
            return isIPv4(literal)
        }
        return HostnameFormat.isHostname(bytes: domain)
    }

    // MARK: date-time (RFC 3339 §5.6)

    static func isDateTime(_ slice: Bytes) -> Bool {
        let bytes = UnsafeBufferPointer(rebasing: slice)
        guard bytes.count >= 20 else { return false }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + length)] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = number(8, 2),
            bytes[10] | 0x20 == UInt8(ascii: "t"),
            let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = number(17, 2)
        else { return false }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start else { return false }
        }
        guard index < bytes.count else { return false }
        var offsetMinutes = 0
        if bytes[index] | 0x20 == UInt8(ascii: "z") {
            index += 1
        } else {
            guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                let offsetHour = number(index + 1, 2), index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetMinute = number(index + 4, 2), offsetHour <= 23, offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        }
        guard index == bytes.count else { return false }
        if second == 60 {
            // A leap second is 23:59:60 in UTC, whatever the local offset.
            let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utcMinutes == 23 * 60 + 59
        }
        return true
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: uuid (RFC 4122 §3 string form)

    static func isUUID(_ bytes: Bytes) -> Bool {
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard isHexDigit(byte) else { return false }
            }
        }
        return true
    }
}
