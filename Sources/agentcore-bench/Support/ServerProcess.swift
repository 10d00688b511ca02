import Foundation

/// A server process the bench started (`agentcore serve` or `agentcore-bench bare-server`), its
/// output going to a log file, stopped with SIGTERM.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only used to signal and wait, which Foundation allows from any thread.
    let process: Process
    let logPath: String
    /// `http://127.0.0.1:PORT`, once known.
    let baseURL: String

    var pid: Int32 { process.processIdentifier }

    private init(process: Process, logPath: String, baseURL: String) {
        self.process = process
        self.logPath = logPath
        self.baseURL = baseURL
    }

    /// Starts the process and returns it; does not wait for anything.
    static func launch(_ executable: String, _ arguments: [String], environment: [String: String], logPath: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        return process
    }

    /// Launches and waits for its "listening on http://..." line.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:], logPath: String, timeout: Duration = .seconds(60)) async throws -> ServerProcess {
        let process = try launch(executable, arguments, environment: environment, logPath: logPath)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://") {
                let rest = text[range.upperBound...]
                let address = rest.prefix { !$0.isWhitespace && $0 != "\"" }
                return ServerProcess(process: process, logPath: logPath, baseURL: "http://" + address)
            }
            if !process.isRunning {
                throw BenchError("\(executable) exited with \(process.terminationStatus) before listening:\n\(text.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.terminate()
        throw BenchError("\(executable) did not listen within \(timeout)")
    }

    /// Starts `agentcore serve` on a free port with a fresh data directory and the bench's JWT secret.
    static func agentcore(_ environment: BenchEnvironment, name: String, pluginsDirectory: String? = nil, arguments: [String] = []) async throws -> ServerProcess {
        let data = try environment.directory("\(name)-data")
        let plugins = try pluginsDirectory ?? environment.directory("\(name)-plugins")
        return try await start(
            environment.agentcorePath,
            ["serve", "--port", "0", "--data-dir", data, "--plugins-dir", plugins] + arguments,
            environment: ["AGENTCORE_JWT_SECRET": environment.jwtSecret],
            logPath: environment.workDirectory + "/\(name).log"
        )
    }

    /// Starts this executable's hidden `bare-server` with the given `METHOD PATH FILE` routes.
    static func bare(_ environment: BenchEnvironment, name: String, routes: [(method: String, path: String, file: String)] = []) async throws -> ServerProcess {
        let arguments = ["bare-server", "--port", "0"] + (routes.isEmpty ? [] : ["--route"] + routes.flatMap { [$0.method, $0.path, $0.file] })
        return try await start(environment.benchPath, arguments, logPath: environment.workDirectory + "/\(name).log")
    }

    /// SIGTERM, then SIGKILL after 10 s; waits for the exit.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The port of `baseURL`.
    var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }
}
