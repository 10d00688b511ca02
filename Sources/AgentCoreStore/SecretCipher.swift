import Crypto
import Foundation

/// Seals and opens secret blobs with AES-256-GCM under the master key.
///
/// Each blob is `nonce || ciphertext || tag` (CryptoKit's combined form) with a
/// fresh random nonce. The row it belongs to is bound in as authenticated data,
/// so a blob copied into another row fails to open.
struct SecretCipher: Sendable {
    let masterKey: MasterKey

    func seal(_ plaintext: [UInt8], boundTo context: String) throws(StoreError) -> Data {
        do {
            let box = try AES.GCM.seal(plaintext, using: masterKey.key, authenticating: Array(context.utf8))
            guard let combined = box.combined else { throw StoreError.encryption("AES-GCM gave no combined form") }
            return combined
        } catch {
            throw .encryption("cannot encrypt the secrets of \(context)")
        }
    }

    func open(_ blob: Data, boundTo context: String) throws(StoreError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: blob)
            return Array(try AES.GCM.open(box, using: masterKey.key, authenticating: Array(context.utf8)))
        } catch {
            throw .encryption("cannot decrypt the secrets of \(context): wrong master key or altered data")
        }
    }
}
