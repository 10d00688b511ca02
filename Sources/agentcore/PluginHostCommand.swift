import ArgumentParser
import PluginHost

/// `agentcore plugin-host`: the plugin-host child inside the main executable, for installs
/// that ship `agentcore` alone. The server starts `agentcore-plugin-host` (next to its own
/// executable) when it is there, which starts faster and uses less memory.
struct PluginHostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-host",
        abstract: "Serve one process-isolated plugin to its parent server (started by `agentcore serve`).",
        shouldDisplay: false
    )

    @Argument(
        parsing: .captureForPassthrough,
        help: "--parent-pid PID [--first-fd 3] [--connections 1] [--memory-limit-bytes 0] [--cpu-seconds 0] PLUGIN.so"
    )
    var arguments: [String] = []

    func run() throws {
        do {
            PluginHostProcess.run(try PluginHostOptions(arguments: arguments))
        } catch {
            throw ValidationError(error.description)
        }
    }
}
