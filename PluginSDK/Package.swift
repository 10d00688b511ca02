// swift-tools-version:6.1
// The agentcore plugin SDK: the C ABI header and the Swift helper.
// Plugin packages depend on this package alone (it has no dependencies), so a
// plugin builds in seconds without the host's server stack.
import PackageDescription

let package = Package(
    name: "AgentCorePluginSDK",
    products: [
        .library(name: "CAgentCorePlugin", targets: ["CAgentCorePlugin"]),
        .library(name: "AgentCorePlugin", targets: ["AgentCorePlugin"]),
    ],
    targets: [
        // The header in include/ is the contract; abi/ holds compile-time
        // checks of its layout.
        .target(
            name: "CAgentCorePlugin",
            path: ".",
            sources: ["abi/abi_checks.c"],
            publicHeadersPath: "include"
        ),
        .target(
            name: "AgentCorePlugin",
            dependencies: ["CAgentCorePlugin"],
            path: "swift/AgentCorePlugin"
        ),
    ]
)
