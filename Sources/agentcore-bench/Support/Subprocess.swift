import Foundation

/// Short helper processes (cc, swift build, agentcore token): run to completion, output captured.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let output: String
        var description: String { "`\(command.joined(separator: " "))` exited with \(status): \(output.suffix(2000))" }
    }

    /// Runs `command` (looked up in PATH) and returns stdout+stderr.
    /// - Throws: `Failure` on a non-zero exit.
    @discardableResult
    static func run(_ command: [String], environment: [String: String]? = nil, directory: String? = nil, echo: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = echo ? FileHandle.standardError : pipe
        process.standardError = echo ? FileHandle.standardError : pipe
        try process.run()
        let data = echo ? Data() : pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(command: command, status: process.terminationStatus, output: output)
        }
        return output
    }

    /// The output of `command`, nil when it cannot run or fails.
    static func output(_ command: [String]) -> String? {
        try? run(command)
    }
}
