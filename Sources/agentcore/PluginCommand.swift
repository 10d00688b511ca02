import AgentCoreJSON
import ArgumentParser
import Foundation
import Logging
import PluginRuntime

/// `agentcore plugin`: work with plugin files.
struct PluginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Check and scaffold plugins.",
        subcommands: [PluginCheckCommand.self, PluginNewCommand.self]
    )
}

/// `agentcore plugin check FILE.so`: runs every load check the server runs and prints the descriptor.
struct PluginCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load a plugin .so with the server's checks and print its descriptor as JSON.",
        discussion: "Exits with status 1 and prints the reason to stderr when the server would refuse the file."
    )

    @Argument(help: "The plugin shared object to check.")
    var file: String

    func run() async throws {
        var logger = Logger(label: "agentcore.plugin-check")
        logger.logLevel = .warning
        do {
            let info = try PluginRuntime.check(path: file, logger: logger)
            print(info.json.serialized())
        } catch {
            FileHandle.standardError.write(Data("agentcore plugin check: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
