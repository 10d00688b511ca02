import AgentCoreServer
import ArgumentParser
import Foundation
import Logging
import PluginRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `agentcore serve`: runs the HTTP API until SIGINT/SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the agentcore HTTP server.",
        discussion: """
            The JWT secret comes from --jwt-secret-file or AGENTCORE_JWT_SECRET. With --dev and neither set, \
            a secret is generated into the data directory and an admin token is printed.
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Directory for the database and keys (created when missing).")
    var dataDir = "./data"

    @Option(help: "Directory scanned for plugin .so files.")
    var pluginsDir = "./plugins"

    @Option(help: "Directory of the libagentcore-builtin-*.so files (default: next to this executable, or AGENTCORE_BUILTIN_DIR).")
    var builtinDir: String?

    @Option(help: "File holding the JWT secret (overrides AGENTCORE_JWT_SECRET).")
    var jwtSecretFile: String?

    @Flag(help: "Development mode: generate a JWT secret in the data directory when none is set, and print an admin token.")
    var dev = false

    @Option(help: "Time bound of every plugin create and hook call, in milliseconds.")
    var callTimeoutMs = 5000

    @Option(help: "Event deliveries (hook calls) in flight at once.")
    var deliveryConcurrency = 8

    @Option(help: "Delay before the first retry of a failed event delivery, in milliseconds.")
    var deliveryRetryBaseMs = 1000

    @Option(help: "Each later retry of a delivery waits this many times longer.")
    var deliveryRetryFactor = 2.0

    @Option(help: "Longest wait between two attempts of a delivery, in milliseconds.")
    var deliveryRetryCapMs = 600_000

    @Option(help: "Attempts of a delivery (the first included) before it is dead.")
    var deliveryMaxAttempts = 12

    @Option(help: "How often the delivery worker looks for due deliveries, in milliseconds.")
    var deliveryPollMs = 250

    @Option(help: "Days a delivered event's record is kept.")
    var deliveredRetentionDays = 7

    @Option(help: "Days a dead letter is kept (unless redelivered).")
    var deadRetentionDays = 30

    @Option(help: "Isolation of directory plugins: process (default) or inprocess.")
    var directoryIsolation = "process"

    @Option(help: "Isolation of built-in plugins: inprocess (default) or process.")
    var builtinIsolation = "inprocess"

    @Option(name: .customLong("isolate"), help: "Per-plugin isolation override, e.g. --isolate hello=inprocess (repeatable; the API's overrides win).")
    var isolate: [String] = []

    @Option(help: "Address-space limit of each plugin-host child, in MiB (0 = none).")
    var pluginMemoryLimitMb = 1024

    @Option(help: "CPU-time limit of each plugin-host child over its life, in seconds (0 = none).")
    var pluginCpuSeconds = 0

    @Option(help: "Crashes or timeouts within --quarantine-window-seconds that quarantine a plugin (0 = never).")
    var quarantineAfter = 5

    @Option(help: "The window of --quarantine-after, in seconds.")
    var quarantineWindowSeconds = 60

    @Flag(help: "Do not watch the plugins directory (no hot load, reload or unload).")
    var noWatch = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (or LOG_LEVEL).")
    var logLevel: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard callTimeoutMs > 0 else { throw ValidationError("--call-timeout-ms must be positive") }
        guard deliveryConcurrency > 0 else { throw ValidationError("--delivery-concurrency must be positive") }
        guard deliveryRetryBaseMs > 0, deliveryRetryCapMs >= deliveryRetryBaseMs else {
            throw ValidationError("--delivery-retry-base-ms must be positive and at most --delivery-retry-cap-ms")
        }
        guard deliveryRetryFactor >= 1 else { throw ValidationError("--delivery-retry-factor must be at least 1") }
        guard deliveryMaxAttempts > 0 else { throw ValidationError("--delivery-max-attempts must be positive") }
        guard deliveryPollMs > 0 else { throw ValidationError("--delivery-poll-ms must be positive") }
        guard deliveredRetentionDays > 0, deadRetentionDays > 0 else {
            throw ValidationError("--delivered-retention-days and --dead-retention-days must be positive")
        }
        _ = try isolationConfiguration()
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The isolation flags, checked.
    func isolationConfiguration() throws -> PluginIsolationConfiguration {
        func mode(_ text: String, flag: String) throws -> PluginIsolation {
            guard let mode = PluginIsolation(rawValue: text) else {
                throw ValidationError("\(flag) must be inprocess or process, not \(text)")
            }
            return mode
        }
        var configuration = PluginIsolationConfiguration()
        configuration.directoryIsolation = try mode(directoryIsolation, flag: "--directory-isolation")
        configuration.builtinIsolation = try mode(builtinIsolation, flag: "--builtin-isolation")
        for entry in isolate {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--isolate takes <plugin id>=inprocess|process, not \(entry)")
            }
            configuration.overrides[parts[0]] = try mode(parts[1], flag: "--isolate \(parts[0])")
        }
        guard pluginMemoryLimitMb >= 0, pluginCpuSeconds >= 0 else {
            throw ValidationError("--plugin-memory-limit-mb and --plugin-cpu-seconds must not be negative")
        }
        guard quarantineAfter >= 0, quarantineWindowSeconds > 0 else {
            throw ValidationError("--quarantine-after must not be negative and --quarantine-window-seconds must be positive")
        }
        configuration.pluginHost.memoryLimitBytes = UInt64(pluginMemoryLimitMb) << 20
        configuration.pluginHost.cpuSeconds = UInt64(pluginCpuSeconds)
        configuration.quarantine = QuarantinePolicy(threshold: quarantineAfter, window: .seconds(quarantineWindowSeconds))
        configuration.watchPluginDirectories = !noWatch
        return configuration
    }

    func run() async throws {
        // A plugin's HTTP peer or a client closing a socket must not kill the server.
        signal(SIGPIPE, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let level = (logLevel ?? environment["LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            // StreamLogHandler's format, at a fraction of its cost per line (one line per request).
            var handler = LineLogHandler(label: label)
            handler.logLevel = level
            return handler
        }

        let secret: JWTSecret
        do {
            // --dev keeps its secret in the data directory; otherwise a refused start creates nothing.
            if dev { try DataDirectory.prepare(dataDir) }
            secret = try JWTSecret.resolve(
                secretFile: jwtSecretFile,
                environment: environment,
                dataDirectory: dataDir,
                development: dev ? .createIfMissing : .refuse
            )
        } catch {
            ServerConsole.error("agentcore serve: \(error)")
            throw ExitCode(2)
        }

        if dev {
            let token = try await JWTAuthenticator(secret: secret.bytes).token(for: AuthClaims(
                subject: "dev-admin",
                expiresAt: Date().addingTimeInterval(24 * 3600),
                permissions: Permission.allCases.map(\.rawValue),
                global: true,
                departments: []
            ))
            if case .developmentFile(let path, let created) = secret.origin {
                ServerConsole.output("dev mode: JWT secret \(created ? "generated in" : "read from") \(path)")
            }
            ServerConsole.output("dev admin token (global, all permissions, valid 24h):\n\(token)")
        }

        let app = try await buildApplication(ServerConfiguration(
            host: host,
            port: port,
            dataDirectory: dataDir,
            pluginDirectories: [pluginsDir],
            builtinDirectory: builtinDir ?? environment["AGENTCORE_BUILTIN_DIR"],
            callTimeout: .milliseconds(callTimeoutMs),
            delivery: DeliveryConfiguration(
                concurrency: deliveryConcurrency,
                retryBase: .milliseconds(deliveryRetryBaseMs),
                retryFactor: deliveryRetryFactor,
                retryCap: .milliseconds(deliveryRetryCapMs),
                maxAttempts: deliveryMaxAttempts,
                pollInterval: .milliseconds(deliveryPollMs),
                deliveredRetention: .seconds(deliveredRetentionDays * 24 * 3600),
                deadRetention: .seconds(deadRetentionDays * 24 * 3600)
            ),
            isolation: try isolationConfiguration(),
            jwtSecret: secret.bytes,
            environment: environment,
            logLevel: level,
            onListening: { url in ServerConsole.output("agentcore listening on \(url)") }
        ))
        try await app.runService()
    }
}

/// Writes whole lines straight to stdout/stderr, unbuffered, so a line is seen
/// at once even when the stream is a pipe (tests read the "listening" line).
enum ServerConsole {
    static func output(_ line: String) { write(line, to: STDOUT_FILENO) }
    static func error(_ line: String) { write(line, to: STDERR_FILENO) }

    private static func write(_ line: String, to descriptor: Int32) {
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                #else
                Darwin.write(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
