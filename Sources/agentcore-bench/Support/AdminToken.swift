/// Tokens minted with `agentcore token` and the bench's secret, as an operator would.
enum AdminToken {
    /// A global token with every permission, valid 6 hours.
    static func mint(_ environment: BenchEnvironment) throws -> String {
        let output = try Subprocess.run(
            [environment.agentcorePath, "token", "--sub", "bench", "--permissions", "canManagePlugins,canManageNamespaces", "--global", "--ttl", "6h"],
            environment: ["AGENTCORE_JWT_SECRET": environment.jwtSecret]
        )
        guard let token = output.split(separator: "\n").last.map(String.init), token.split(separator: ".").count == 3 else {
            throw BenchError("agentcore token printed no JWT: \(output)")
        }
        return token
    }
}
