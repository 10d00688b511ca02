import AgentCoreJSON
import Foundation
import Logging
import PluginRuntime
import Synchronization

/// An install source held in memory; `delay` slows every read (to widen races on purpose).
final class TestInstallSource: PluginInstallSource {
    private let namespaces = Mutex<[String: NamespaceInstalls]>([:])
    let reads = Atomic<Int>(0)
    private let delay: Duration

    init(delay: Duration = .zero) {
        self.delay = delay
    }

    func set(_ namespaceId: String, department: String = "dept-1", _ installs: [PluginInstall]) {
        namespaces.withLock {
            $0[namespaceId] = NamespaceInstalls(namespaceId: namespaceId, departmentId: department, installs: installs)
        }
    }

    func installs(namespaceId: String) async throws -> NamespaceInstalls? {
        reads.add(1, ordering: .relaxed)
        let installs = namespaces.withLock { $0[namespaceId] }
        if delay > .zero { try await Task.sleep(for: delay) }
        return installs
    }
}

/// A log handler that keeps every entry, for asserting on log lines.
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    final class Storage: Sendable {
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }
    }

    let storage: Storage
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let entry = Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
        storage.entries.withLock { $0.append(entry) }
    }
}

/// A runtime over fixture plugins, with an empty built-in directory so the real built-ins
/// next to the test binary stay out of the way.
struct TestRuntime: Sendable {
    let runtime: PluginRuntime
    let source: TestInstallSource
    let directory: PluginDirectory
    let builtins: PluginDirectory
    let logs: RecordingLogHandler.Storage
    let keyValueStore: InMemoryKeyValueStore

    init(
        fixtures: [String], fileNames: [String: String] = [:], sourceDelay: Duration = .zero,
        configure: (inout PluginRuntimeConfiguration) -> Void = { _ in }
    ) throws {
        directory = try PluginDirectory(fixtures, fileNames: fileNames)
        builtins = try PluginDirectory([])
        source = TestInstallSource(delay: sourceDelay)
        let logs = RecordingLogHandler.Storage()
        self.logs = logs
        keyValueStore = InMemoryKeyValueStore()
        var configuration = PluginRuntimeConfiguration(builtinDirectory: builtins.path, pluginDirectories: [directory.path])
        // In-process unless a test asks for isolation (then `isolated(_:)` points at the agentcore binary).
        configuration.directoryIsolation = .inprocess
        configure(&configuration)
        let logger = Logger(label: "test") { _ in RecordingLogHandler(storage: logs) }
        runtime = PluginRuntime(configuration: configuration, installSource: source, keyValueStore: keyValueStore, logger: logger)
    }

    /// Loads the plugins, runs `body`, then shuts the runtime down and removes the directories.
    @discardableResult
    static func with<R>(
        fixtures: [String], fileNames: [String: String] = [:], sourceDelay: Duration = .zero,
        configure: (inout PluginRuntimeConfiguration) -> Void = { _ in },
        _ body: (TestRuntime) async throws -> R
    ) async throws -> R {
        let test = try TestRuntime(fixtures: fixtures, fileNames: fileNames, sourceDelay: sourceDelay, configure: configure)
        await test.runtime.loadPlugins()
        do {
            let result = try await body(test)
            await test.close()
            return result
        } catch {
            await test.close()
            throw error
        }
    }

    func close() async {
        await runtime.shutdown()
        directory.remove()
        builtins.remove()
    }

    /// Enables each plugin (with `{}` unless given) in `namespaceId`.
    func enable(_ pluginIds: [String], in namespaceId: String = "ns-1", configs: [String: JSONValue] = [:]) {
        source.set(namespaceId, pluginIds.map { PluginInstall(pluginId: $0, enabled: true, config: configs[$0] ?? [:]) })
    }
}

extension PluginRuntimeConfiguration {
    /// Directory plugins in plugin-host children started from the built `agentcore-plugin-host`.
    mutating func isolateDirectoryPlugins() {
        directoryIsolation = .process
        pluginHost.command = [TestBinaries.pluginHost]
    }
}

/// Executables built next to the test bundle.
enum TestBinaries {
    /// `.build/debug/agentcore`.
    static var agentcore: String { built("agentcore") }

    /// `.build/debug/agentcore-plugin-host`.
    static var pluginHost: String { built("agentcore-plugin-host") }

    private static func built(_ name: String) -> String {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent(".build/debug/" + name).path
    }
}

extension PluginCallResult {
    /// `data` of a successful result.
    var okData: JSONValue? {
        status == .ok ? data : nil
    }
}
