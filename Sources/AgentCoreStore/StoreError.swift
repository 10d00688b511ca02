/// Why a store operation failed. Messages never include stored values or SQL arguments.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case conflict
        case notFound
        case invalid
        case database
        case encryption
        case masterKey
        case file
    }

    private let code: Code
    /// What went wrong, naming the object (never its secret values).
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The row already exists (duplicate id or install).
    public static func conflict(_ message: String) -> StoreError { StoreError(.conflict, message) }
    /// The row, or a row it depends on, does not exist.
    public static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }
    /// A value the schema does not allow (checked before writing).
    public static func invalid(_ message: String) -> StoreError { StoreError(.invalid, message) }
    /// SQLite failed (I/O, corruption, constraint other than the above).
    public static func database(_ message: String) -> StoreError { StoreError(.database, message) }
    /// A secret could not be sealed or opened (wrong master key, tampered row).
    public static func encryption(_ message: String) -> StoreError { StoreError(.encryption, message) }
    /// The master key could not be read or created.
    public static func masterKey(_ message: String) -> StoreError { StoreError(.masterKey, message) }

    /// A file (key, secret) could not be created, read or written.
    public static func file(_ message: String) -> StoreError { StoreError(.file, message) }

    public var isConflict: Bool { code == .conflict }
    public var isNotFound: Bool { code == .notFound }
    public var isInvalid: Bool { code == .invalid }

    public var description: String { message }
}
