import ArgumentParser

/// `agentcore-bench`: the benchmark suite of the plugin runtime and the server (see BENCHMARKS.md).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentcore-bench",
        abstract: "Measure agentcore against its floors and targets; writes benchmarks/results.json.",
        subcommands: [RunCommand.self, BareServerCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
