import AgentCoreServer
import ArgumentParser
import Foundation

/// `agentcore token`: mints an API token with the server's secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed API token (HS256 JWT).",
        discussion: """
            The secret is resolved like `serve`: --jwt-secret-file, then AGENTCORE_JWT_SECRET, then the \
            development secret of --data-dir (written by `serve --dev`).
            """
    )

    @Option(help: "The token's subject (who it is for).")
    var sub: String

    @Option(help: "Comma-separated permissions: canManagePlugins, canManageNamespaces (may be empty).")
    var permissions = ""

    @Flag(help: "See every namespace, whatever its department.")
    var global = false

    @Option(help: "Comma-separated departments whose namespaces the token sees.")
    var departments: String?

    @Option(help: "Lifetime, e.g. 90s, 30m, 1h, 7d.")
    var ttl = "1h"

    @Option(help: "File holding the JWT secret.")
    var jwtSecretFile: String?

    @Option(help: "Data directory holding the development secret.")
    var dataDir = "./data"

    func validate() throws {
        guard global != (departments != nil) else {
            throw ValidationError("pass exactly one of --global and --departments d1,d2")
        }
        for permission in permissionList where Permission(rawValue: permission) == nil {
            throw ValidationError(
                "unknown permission \(permission); known: \(Permission.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard Self.seconds(of: ttl) != nil else {
            throw ValidationError("--ttl must be a positive number followed by s, m, h or d (e.g. 1h)")
        }
    }

    func run() async throws {
        let secret: JWTSecret
        do {
            secret = try JWTSecret.resolve(
                secretFile: jwtSecretFile,
                environment: ProcessInfo.processInfo.environment,
                dataDirectory: dataDir,
                development: .useExisting
            )
        } catch {
            ServerConsole.error("agentcore token: \(error)")
            throw ExitCode(2)
        }
        let claims = AuthClaims(
            subject: sub,
            expiresAt: Date().addingTimeInterval(Self.seconds(of: ttl)!),
            permissions: permissionList,
            global: global,
            departments: departments.map(Self.list) ?? []
        )
        ServerConsole.output(try await JWTAuthenticator(secret: secret.bytes).token(for: claims))
    }

    private var permissionList: [String] { Self.list(permissions) }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// "90s", "30m", "1h", "7d" -> seconds; nil when malformed or not positive.
    static func seconds(of text: String) -> TimeInterval? {
        guard let unit = text.last, let value = Double(text.dropLast()), value > 0 else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86400
        default: return nil
        }
    }
}
