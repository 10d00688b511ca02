// swift-tools-version:6.1
import PackageDescription

// One settings array for every target, as in Hummingbird's Package.swift.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "agentcore",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "agentcore", targets: ["agentcore"]),
        .executable(name: "agentcore-plugin-host", targets: ["agentcore-plugin-host"]),
        .executable(name: "agentcore-bench", targets: ["agentcore-bench"]),
        // Built-in plugins: ordinary .so files loaded through the same loader
        // as any third-party plugin. The host finds them next to its own
        // executable by the "libagentcore-builtin-" prefix.
        .library(name: "agentcore-builtin-opendatabot", type: .dynamic, targets: ["OpendatabotPlugin"]),
        .library(name: "agentcore-builtin-webhooks", type: .dynamic, targets: ["WebhooksPlugin"]),
    ],
    dependencies: [
        .package(path: "PluginSDK"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // MARK: JSON and JSON Schema
        .target(
            name: "AgentCoreJSON",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "JSONSchema",
            dependencies: ["AgentCoreJSON"],
            swiftSettings: swiftSettings
        ),

        // MARK: Plugin runtime
        .systemLibrary(
            name: "CFFI",
            path: "Sources/CFFI",
            providers: [.apt(["libffi-dev"])]
        ),
        // The one layer that touches dlopen, raw pointers and libffi.
        .target(
            name: "PluginNative",
            dependencies: [
                "AgentCoreJSON",
                "CFFI",
                .product(name: "CAgentCorePlugin", package: "PluginSDK"),
            ],
            swiftSettings: swiftSettings
        ),
        // The length-prefixed frames between the server and its plugin-host children.
        .target(
            name: "PluginWire",
            dependencies: ["PluginNative", "CSpinWait"],
            swiftSettings: swiftSettings
        ),
        // prctl and friends, which Swift cannot call (variadic C).
        .target(
            name: "CProcessControl"
        ),
        // The CPU's spin-loop hint, for the short busy-waits of thread and socket hand-offs.
        .target(
            name: "CSpinWait"
        ),
        // The child side of process isolation (`agentcore plugin-host`).
        .target(
            name: "PluginHost",
            dependencies: ["PluginNative", "PluginWire", "CProcessControl"],
            swiftSettings: swiftSettings
        ),
        // Loader, registry, dispatcher and host services: safe Swift.
        .target(
            name: "PluginRuntime",
            dependencies: [
                "AgentCoreJSON",
                "JSONSchema",
                "PluginNative",
                "PluginWire",
                "CSpinWait",
                "CProcessControl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Store and server
        .target(
            name: "AgentCoreStore",
            dependencies: [
                "AgentCoreJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AgentCoreServer",
            dependencies: [
                "AgentCoreJSON",
                "JSONSchema",
                "PluginRuntime",
                "AgentCoreStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Executables
        .executableTarget(
            name: "agentcore",
            dependencies: [
                "AgentCoreServer",
                "PluginRuntime",
                "PluginHost",
                "JSONSchema",
                "AgentCoreJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The child of each process-isolated plugin: the plugin layers only, for a fast start.
        .executableTarget(
            name: "agentcore-plugin-host",
            dependencies: ["PluginHost"],
            path: "Sources/agentcore-plugin-host",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "agentcore-bench",
            dependencies: [
                "AgentCoreServer",
                "PluginRuntime",
                "PluginNative",
                "JSONSchema",
                "AgentCoreJSON",
                .product(name: "CAgentCorePlugin", package: "PluginSDK"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/agentcore-bench",
            swiftSettings: swiftSettings
        ),

        // MARK: Built-in plugins
        .target(
            name: "OpendatabotPlugin",
            dependencies: [.product(name: "CAgentCorePlugin", package: "PluginSDK")],
            path: "builtin-plugins/opendatabot",
            exclude: ["README.md"]
        ),
        .target(
            name: "WebhooksPlugin",
            dependencies: [
                .product(name: "AgentCorePlugin", package: "PluginSDK"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "builtin-plugins/webhooks",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(
            name: "JSONSchemaTests",
            dependencies: ["JSONSchema", "AgentCoreJSON"],
            exclude: ["suite-skip-list.txt"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PluginRuntimeTests",
            dependencies: [
                "PluginRuntime",
                "PluginNative",
                "JSONSchema",
                "AgentCoreJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AgentCoreServerTests",
            dependencies: [
                "AgentCoreServer",
                "AgentCoreStore",
                "AgentCoreJSON",
                "PluginRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
