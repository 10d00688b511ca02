import PluginHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// `agentcore-plugin-host`: the child `agentcore serve` starts for each process-isolated plugin,
// installed next to `agentcore`. Not for interactive use: it serves the sockets the server
// passed as inherited descriptors. It links only the plugin layers (no Foundation, NIO or
// SQLite), so a child starts in a few milliseconds and costs a few MiB.
do {
    PluginHostProcess.run(try PluginHostOptions(arguments: Array(CommandLine.arguments.dropFirst())))
} catch {
    var message = "agentcore-plugin-host: \(error)\nusage: agentcore-plugin-host --parent-pid PID [--first-fd 3] [--connections 1] [--memory-limit-bytes 0] [--cpu-seconds 0] PLUGIN.so\n"
    message.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    exit(64)
}
