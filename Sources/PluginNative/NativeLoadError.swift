/// A failure of the native layer while opening a plugin file or reading its descriptor.
///
/// Every C failure (dlopen, dlsym, a malformed descriptor, ffi_prep_cif) becomes one of these,
/// in one place, with a message naming what was wrong.
public struct NativeLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, for callers that branch on it.
    public enum Kind: Sendable, Hashable {
        case unreadableFile
        case notELF
        case wrongArchitecture
        case dlopenFailed
        case missingEntrySymbol
        case entryRefused
        case malformedDescriptor
        case abiMismatch
        case ffiPreparationFailed
    }

    public let kind: Kind
    /// One line, without the file path (the caller names the file).
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
