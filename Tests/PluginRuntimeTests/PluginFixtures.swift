import Foundation
import Synchronization

/// The C fixture plugins of `Tests/Fixtures/plugins`, compiled once per test process with
/// `cc -shared -fPIC -I PluginSDK/include` into a temporary directory.
enum PluginFixtures {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Fixture name → (source file, extra compiler flags).
    private static let sources: [String: (source: String, flags: [String])] = [
        "hello": ("hello.c", []),
        "hello-a": ("hello.c", ["-DFX_ID=\"hello-a\""]),
        "hello-b": ("hello.c", ["-DFX_ID=\"hello-b\""]),
        "missing_entry": ("missing_entry.c", []),
        "abi_too_new": ("abi_too_new.c", []),
        "bad_schema": ("bad_schema.c", []),
        "cap_without_hook": ("cap_without_hook.c", []),
        "error_hook": ("error_hook.c", []),
        "slow_hook": ("slow_hook.c", []),
        "invalid_json": ("invalid_json.c", []),
        "echo_config": ("echo_config.c", []),
        "kv": ("kv.c", []),
        "http_client": ("http_client.c", []),
        "typed_tools": ("typed_tools.c", []),
        "older_minor": ("older_minor.c", []),
        "crash_third_call": ("crash_third_call.c", []),
        "abort_call": ("abort_call.c", []),
        "loop_forever": ("loop_forever.c", []),
    ]

    /// Compiled fixtures by name (built on first use, thread-safe through `static let`).
    private static let built: [String: String] = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("agentcore-fixtures-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sourceDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/plugins")
        let include = repositoryRoot.appendingPathComponent("PluginSDK/include").path
        var built: [String: String] = [:]
        for (name, entry) in sources {
            let output = directory.appendingPathComponent("\(name).so").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["cc", "-shared", "-fPIC", "-O1", "-I", include] + entry.flags
                + ["-o", output, sourceDirectory.appendingPathComponent(entry.source).path]
            do {
                try process.run()
                process.waitUntilExit()
            } catch {
                fatalError("cannot run cc for fixture \(name): \(error)")
            }
            precondition(process.terminationStatus == 0, "fixture \(name) did not compile")
            built[name] = output
        }
        return built
    }()

    /// The compiled fixture `name`.
    static func path(_ name: String) -> String {
        guard let path = built[name] else { fatalError("unknown fixture \(name)") }
        return path
    }
}

/// A fresh temporary directory holding copies of fixtures (copies, so every test dlopens its
/// own image with its own globals), removed by `remove()`.
struct PluginDirectory: Sendable {
    let path: String

    /// Copies each fixture into a new directory as `<file name>` (default `<fixture>.so`).
    init(_ fixtures: [String], fileNames: [String: String] = [:]) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("agentcore-plugins-\(UUID().uuidString)", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for fixture in fixtures {
            try add(fixture, as: fileNames[fixture] ?? "\(fixture).so")
        }
    }

    func add(_ fixture: String, as fileName: String) throws {
        try FileManager.default.copyItem(atPath: PluginFixtures.path(fixture), toPath: file(fileName))
    }

    func write(_ bytes: [UInt8], as fileName: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(fileName)))
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
