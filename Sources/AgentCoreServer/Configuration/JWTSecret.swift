import AgentCoreStore
import Foundation

/// The HMAC secret that signs and verifies API tokens, and where it came from.
///
/// Resolution order: `--jwt-secret-file`, then `AGENTCORE_JWT_SECRET`, then
/// (only when allowed) the development secret `jwt-secret` in the data directory.
public struct JWTSecret: Sendable {
    public static let environmentVariable = "AGENTCORE_JWT_SECRET"
    /// The development secret's file name inside the data directory (mode 0600).
    public static let developmentFileName = "jwt-secret"
    /// Shorter secrets are refused: HS256 is only as strong as its key, and jwt-kit requires a key as long as the hash.
    public static let minimumLength = 32

    /// What to do when neither a file nor the environment gives a secret.
    public enum DevelopmentSecret: Sendable {
        /// Refuse (plain `serve`).
        case refuse
        /// Use the data directory's secret if one exists (`token`).
        case useExisting
        /// Use it, or create it (`serve --dev`).
        case createIfMissing
    }

    public enum Origin: Sendable, Equatable {
        case file(String)
        case environment
        case developmentFile(path: String, created: Bool)
    }

    /// The key bytes: the secret's UTF-8 text, trailing newline removed.
    public let bytes: [UInt8]
    public let origin: Origin

    /// Finds the secret. - Throws: ``JWTSecretError`` saying how to provide one.
    public static func resolve(
        secretFile: String?,
        environment: [String: String],
        dataDirectory: String,
        development: DevelopmentSecret
    ) throws(JWTSecretError) -> JWTSecret {
        if let secretFile {
            guard let contents = FileManager.default.contents(atPath: secretFile) else {
                throw JWTSecretError("cannot read the JWT secret file \(secretFile)")
            }
            return try JWTSecret(text: String(decoding: contents, as: UTF8.self), origin: .file(secretFile), describedAs: secretFile)
        }
        // An empty variable counts as unset (`AGENTCORE_JWT_SECRET= agentcore serve`).
        if let text = environment[environmentVariable], !text.isEmpty {
            return try JWTSecret(text: text, origin: .environment, describedAs: environmentVariable)
        }
        let path = (dataDirectory as NSString).appendingPathComponent(developmentFileName)
        switch development {
        case .refuse:
            throw JWTSecretError(
                """
                no JWT secret: set \(environmentVariable) (for example `export \(environmentVariable)=$(openssl rand -hex 32)`), \
                pass --jwt-secret-file FILE, or run `agentcore serve --dev` to generate one in the data directory
                """
            )
        case .useExisting, .createIfMissing:
            if let contents = FileManager.default.contents(atPath: path) {
                return try JWTSecret(text: String(decoding: contents, as: UTF8.self), origin: .developmentFile(path: path, created: false), describedAs: path)
            }
            guard case .createIfMissing = development else {
                throw JWTSecretError(
                    """
                    no JWT secret: set \(environmentVariable), pass --jwt-secret-file FILE, or point --data-dir at the data \
                    directory of a server started with --dev (no \(path))
                    """
                )
            }
            var random = SystemRandomNumberGenerator()
            let text = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &random)) }.joined()
            do {
                try SecretFile.create(atPath: path, contents: Array((text + "\n").utf8))
            } catch {
                throw JWTSecretError("cannot create the development JWT secret: \(error.message)")
            }
            return try JWTSecret(text: text, origin: .developmentFile(path: path, created: true), describedAs: path)
        }
    }

    private init(text: String, origin: Origin, describedAs source: String) throws(JWTSecretError) {
        let trimmed = text.trimmingCharacters(in: .newlines)
        guard trimmed.utf8.count >= Self.minimumLength else {
            throw JWTSecretError("the JWT secret from \(source) is too short: use at least \(Self.minimumLength) bytes (e.g. `openssl rand -hex 32`)")
        }
        bytes = Array(trimmed.utf8)
        self.origin = origin
    }
}

/// Why no usable JWT secret was found; the message says how to provide one.
public struct JWTSecretError: Error, Sendable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
