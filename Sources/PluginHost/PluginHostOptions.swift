/// How the server started a plugin-host child (the arguments of `agentcore-plugin-host`, and of `agentcore plugin-host`).
public struct PluginHostOptions: Sendable {
    /// The plugin file to load (the server's private copy).
    public var path: String
    /// The first inherited socket descriptor; `connections` sockets follow it.
    public var firstDescriptor: Int32
    public var connections: Int
    /// The server's pid: the child exits at once if its parent is already another process.
    public var parentPid: Int32
    /// RLIMIT_AS in bytes; 0 = unlimited.
    public var memoryLimitBytes: UInt64
    /// RLIMIT_CPU in seconds over the child's life; 0 = unlimited.
    public var cpuSeconds: UInt64

    public init(path: String, firstDescriptor: Int32, connections: Int, parentPid: Int32, memoryLimitBytes: UInt64, cpuSeconds: UInt64) {
        self.path = path
        self.firstDescriptor = firstDescriptor
        self.connections = connections
        self.parentPid = parentPid
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuSeconds = cpuSeconds
    }
}

extension PluginHostOptions {
    /// A command line the plugin host cannot run with, and why.
    public struct ArgumentError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads the arguments the server passes (after the command itself):
    /// `--first-fd N --connections N --parent-pid N --memory-limit-bytes N --cpu-seconds N <path>`.
    ///
    /// Hand-written rather than ArgumentParser so that the `agentcore-plugin-host` executable
    /// links nothing but the Swift runtime and the plugin layers, which keeps each child's
    /// start time and memory small.
    /// - Throws: `ArgumentError` naming the unknown option, the missing or malformed value.
    public init(arguments: [String]) throws(ArgumentError) {
        var firstDescriptor: Int32 = 3
        var connections = 1
        var parentPid: Int32?
        var memoryLimitBytes: UInt64 = 0
        var cpuSeconds: UInt64 = 0
        var path: String?
        var remaining = arguments[...]
        func value<T: FixedWidthInteger>(_ option: String, as type: T.Type) throws(ArgumentError) -> T {
            guard let text = remaining.popFirst() else { throw ArgumentError(description: "\(option) needs a value") }
            guard let number = T(text) else { throw ArgumentError(description: "\(option): '\(text)' is not a valid \(T.self)") }
            return number
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--first-fd": firstDescriptor = try value(argument, as: Int32.self)
            case "--connections": connections = try value(argument, as: Int.self)
            case "--parent-pid": parentPid = try value(argument, as: Int32.self)
            case "--memory-limit-bytes": memoryLimitBytes = try value(argument, as: UInt64.self)
            case "--cpu-seconds": cpuSeconds = try value(argument, as: UInt64.self)
            default:
                guard !argument.hasPrefix("--"), path == nil else { throw ArgumentError(description: "unexpected argument '\(argument)'") }
                path = argument
            }
        }
        guard let parentPid else { throw ArgumentError(description: "--parent-pid is required") }
        guard let path else { throw ArgumentError(description: "the plugin path is required") }
        guard connections >= 1 else { throw ArgumentError(description: "--connections must be at least 1") }
        self.init(
            path: path, firstDescriptor: firstDescriptor, connections: connections, parentPid: parentPid,
            memoryLimitBytes: memoryLimitBytes, cpuSeconds: cpuSeconds
        )
    }
}
