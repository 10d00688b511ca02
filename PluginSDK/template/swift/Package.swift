// swift-tools-version:6.1
// my-plugin: an agentcore plugin in Swift.
//
// Build:  swift build -c release     -> .build/release/libmy-plugin.so
// Check:  agentcore plugin check ./.build/release/libmy-plugin.so
//
// Build it with the same Swift toolchain as the server that loads it: Swift
// has no stable ABI on Linux and the plugin shares the server's Swift runtime.
import PackageDescription

let package = Package(
    name: "my-plugin",
    products: [
        // .dynamic: a shared object the server loads with dlopen. The SDK's
        // Swift helper is linked into it.
        .library(name: "my-plugin", type: .dynamic, targets: ["MyPlugin"]),
    ],
    dependencies: [
        // The agentcore plugin SDK: the PluginSDK folder (no dependencies of its own).
        .package(path: "../.."),
    ],
    targets: [
        .target(
            name: "MyPlugin",
            dependencies: [.product(name: "AgentCorePlugin", package: "PluginSDK")]
        ),
    ]
)
