import ArgumentParser

/// The `agentcore` command: a thin shell over the library targets.
@main
struct AgentCoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentcore",
        abstract: "A plugin runtime server: loads C-ABI plugins and serves them per namespace.",
        subcommands: [
            ServeCommand.self,
            TokenCommand.self,
            PluginCommand.self,
            SchemaCommand.self,
            PluginHostCommand.self,
        ]
    )
}
