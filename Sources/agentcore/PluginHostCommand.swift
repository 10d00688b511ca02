import ArgumentParser
import PluginHost

/// `agentcore plugin-host`: the child the server starts for each process-isolated plugin.
/// Not for interactive use: it serves the sockets the server passed as inherited descriptors.
struct PluginHostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-host",
        abstract: "Serve one process-isolated plugin to its parent server (started by `agentcore serve`).",
        shouldDisplay: false
    )

    @Option(help: "First inherited socket descriptor.")
    var firstFd: Int32 = 3

    @Option(help: "Number of inherited sockets, one per concurrent call.")
    var connections = 1

    @Option(help: "The server's pid; the child exits if its parent is another process.")
    var parentPid: Int32

    @Option(help: "Address-space limit (RLIMIT_AS) in bytes; 0 = none.")
    var memoryLimitBytes: UInt64 = 0

    @Option(help: "CPU-time limit (RLIMIT_CPU) in seconds over the child's life; 0 = none.")
    var cpuSeconds: UInt64 = 0

    @Argument(help: "The plugin .so to load.")
    var path: String

    func run() throws {
        PluginHostProcess.run(PluginHostOptions(
            path: path, firstDescriptor: firstFd, connections: connections, parentPid: parentPid,
            memoryLimitBytes: memoryLimitBytes, cpuSeconds: cpuSeconds
        ))
    }
}
