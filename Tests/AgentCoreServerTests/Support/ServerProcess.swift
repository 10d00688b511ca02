import Foundation
import Synchronization

/// A real `agentcore serve` process on 127.0.0.1 with a free port, its output captured.
final class ServerProcess: Sendable {
    let process: Process
    let dataDirectory: URL
    let baseURL: String
    private let captured: CapturedOutput

    /// Everything the server wrote to stdout and stderr so far.
    var output: String { captured.text }

    private init(process: Process, dataDirectory: URL, baseURL: String, captured: CapturedOutput) {
        self.process = process
        self.dataDirectory = dataDirectory
        self.baseURL = baseURL
        self.captured = captured
    }

    /// Starts `agentcore serve --port 0` and waits for its "listening on" line.
    /// - Parameters:
    ///   - dataDirectory: Reused across restarts; a fresh one when nil.
    ///   - pluginsDirectory: Where third-party plugins are (the fixtures by default).
    ///   - environment: Added to a minimal environment holding the test JWT secret.
    static func start(
        dataDirectory: URL? = nil,
        pluginsDirectory: URL? = nil,
        extraArguments: [String] = [],
        environment: [String: String] = [:],
        jwtSecret: String? = TestToken.secret
    ) async throws -> ServerProcess {
        let dataDirectory = try dataDirectory ?? TestPaths.temporaryDirectory()
        let fixtures = try await FixturePlugins.shared.pluginsDirectory()
        let pluginsDirectory = pluginsDirectory ?? fixtures
        let launched = try launch(
            arguments: ["serve", "--port", "0", "--data-dir", dataDirectory.path, "--plugins-dir", pluginsDirectory.path] + extraArguments,
            environment: (jwtSecret.map { ["AGENTCORE_JWT_SECRET": $0] } ?? [:]).merging(environment) { $1 }
        )
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let url = Self.listeningURL(in: launched.captured.text) {
                return ServerProcess(process: launched.process, dataDirectory: dataDirectory, baseURL: url, captured: launched.captured)
            }
            if !launched.process.isRunning {
                throw ServerError(message: "agentcore serve exited with \(launched.process.terminationStatus) before listening:\n\(launched.captured.text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        launched.process.terminate()
        throw ServerError(message: "agentcore serve did not print its URL within 90 s:\n\(launched.captured.text)")
    }

    /// Runs `agentcore` with `arguments` to completion (for `token`, failing `serve` runs).
    static func run(arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> (status: Int32, output: String) {
        let launched = try launch(arguments: arguments, environment: environment)
        let deadline = ContinuousClock.now + timeout
        while launched.process.isRunning {
            if ContinuousClock.now > deadline {
                launched.process.terminate()
                throw ServerError(message: "agentcore \(arguments.joined(separator: " ")) did not exit:\n\(launched.captured.text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Let the pipe readers drain what was written just before exit.
        try await Task.sleep(for: .milliseconds(100))
        return (launched.process.terminationStatus, launched.captured.text)
    }

    /// Sends SIGTERM and waits for the exit; SIGKILL after 30 s. Returns the exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(100))
        return process.terminationStatus
    }

    /// Sends SIGKILL (no shutdown of any kind, as in a crash) and waits for the exit.
    func crash() async throws {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The process's stdout/stderr lines so far, joined.
    private static func listeningURL(in text: String) -> String? {
        guard let range = text.range(of: "agentcore listening on ") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\n") else { return nil }
        return String(rest[..<end])
    }

    private static func launch(arguments: [String], environment: [String: String]) throws -> (process: Process, captured: CapturedOutput) {
        let process = Process()
        process.executableURL = TestPaths.agentcoreBinary
        process.arguments = arguments
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let home = ProcessInfo.processInfo.environment["HOME"] { base["HOME"] = home }
        process.environment = base.merging(environment) { $1 }
        let captured = CapturedOutput()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        for pipe in [stdout, stderr] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                } else {
                    captured.append(data)
                }
            }
        }
        try process.run()
        return (process, captured)
    }

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Output bytes appended from the pipe readers' threads.
final class CapturedOutput: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) {
        data.withLock { $0.append(chunk) }
    }

    var text: String {
        data.withLock { String(decoding: $0, as: UTF8.self) }
    }
}

/// Starts a server, runs `body`, and always stops the server.
func withServer<T>(
    dataDirectory: URL? = nil,
    pluginsDirectory: URL? = nil,
    extraArguments: [String] = [],
    environment: [String: String] = [:],
    _ body: (ServerProcess, APIClient) async throws -> T
) async throws -> T {
    await ServerSlots.shared.acquire()
    defer { Task { await ServerSlots.shared.release() } }
    // A data directory the caller did not give is this call's to remove.
    let ownDirectory = dataDirectory == nil ? try TestPaths.temporaryDirectory() : nil
    defer { if let ownDirectory { TestPaths.remove(ownDirectory) } }
    let server = try await ServerProcess.start(
        dataDirectory: dataDirectory ?? ownDirectory,
        pluginsDirectory: pluginsDirectory,
        extraArguments: extraArguments,
        environment: environment
    )
    do {
        let result = try await body(server, APIClient(baseURL: server.baseURL))
        try await server.stop()
        return result
    } catch {
        _ = try? await server.stop()
        throw error
    }
}
