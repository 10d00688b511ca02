public import Crypto
import Foundation

/// The 256-bit key that encrypts plugin secrets at rest.
///
/// Taken from `AGENTCORE_MASTER_KEY` (base64 of 32 bytes) when set, otherwise
/// from `master.key` in the data directory, created with mode 0600 on first use.
public struct MasterKey: Sendable {
    /// The name of the environment variable holding the key.
    public static let environmentVariable = "AGENTCORE_MASTER_KEY"
    /// The key file's name inside the data directory.
    public static let fileName = "master.key"

    public let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// Loads the key from the environment or the data directory, creating the file if neither exists.
    /// - Throws: `StoreError.masterKey` when the variable or file holds no valid key, or the file cannot be created.
    public static func load(
        environment: [String: String],
        dataDirectory: String
    ) throws(StoreError) -> MasterKey {
        if let text = environment[environmentVariable] {
            return try MasterKey(base64: text, origin: environmentVariable)
        }
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let existing = FileManager.default.contents(atPath: path) {
            return try MasterKey(base64: String(decoding: existing, as: UTF8.self), origin: path)
        }
        let generated = SymmetricKey(size: .bits256)
        let text = generated.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        do {
            try SecretFile.create(atPath: path, contents: Array(text.utf8))
        } catch {
            // Another process may have created it between our read and our create: use theirs.
            if let existing = FileManager.default.contents(atPath: path) {
                return try MasterKey(base64: String(decoding: existing, as: UTF8.self), origin: path)
            }
            throw .masterKey("cannot create the master key file \(path): \(error)")
        }
        return MasterKey(key: generated)
    }

    private init(base64 text: String, origin: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed), bytes.count == 32 else {
            throw .masterKey("the master key in \(origin) must be the base64 encoding of exactly 32 bytes")
        }
        self.key = SymmetricKey(data: bytes)
    }
}
