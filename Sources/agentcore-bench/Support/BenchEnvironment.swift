import Foundation
import Synchronization

/// Where the bench runs: its build directory (holding `agentcore` and the built-in plugins),
/// the repository (plugin sources, SDK header, results), a private work directory, and the
/// run's mode.
final class BenchEnvironment: Sendable {
    let quick: Bool
    /// The directory of this executable: `<scratch>/<triple>/<configuration>`.
    let buildDirectory: String
    /// The SwiftPM scratch path the bench was built in (`.build`, `.build-bench`, ...).
    let scratchDirectory: String
    /// "release" or "debug", from the build directory's name.
    let buildConfiguration: String
    let repositoryRoot: String
    /// A fresh directory under the system temporary directory, removed by `cleanUp()`.
    let workDirectory: String
    /// The HS256 secret every server started by the bench uses.
    let jwtSecret = "agentcore-bench-secret-0123456789abcdef0123456789abcdef"
    private let compiled = Mutex<[String: String]>([:])

    private init(quick: Bool, buildDirectory: String, repositoryRoot: String, workDirectory: String) {
        self.quick = quick
        self.buildDirectory = buildDirectory
        let configurationDirectory = URL(fileURLWithPath: buildDirectory)
        self.buildConfiguration = configurationDirectory.lastPathComponent
        self.scratchDirectory = configurationDirectory.deletingLastPathComponent().deletingLastPathComponent().path
        self.repositoryRoot = repositoryRoot
        self.workDirectory = workDirectory
    }

    /// Finds the build directory and the repository, and creates the work directory.
    static func prepare(quick: Bool) throws -> BenchEnvironment {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let buildDirectory = executable.deletingLastPathComponent().path
        guard let root = findRepositoryRoot(from: [buildDirectory, FileManager.default.currentDirectoryPath]) else {
            throw BenchError("cannot find the repository (a directory holding benchmarks/plugins and PluginSDK/include) above \(buildDirectory) or the current directory")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("agentcore-bench-\(getpid())").path
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        return BenchEnvironment(quick: quick, buildDirectory: buildDirectory, repositoryRoot: root, workDirectory: work)
    }

    private static func findRepositoryRoot(from starts: [String]) -> String? {
        for start in starts {
            var directory = URL(fileURLWithPath: start)
            while directory.path != "/" {
                let marker = directory.appendingPathComponent("benchmarks/plugins").path
                let header = directory.appendingPathComponent("PluginSDK/include/agentcore_plugin.h").path
                if FileManager.default.fileExists(atPath: marker), FileManager.default.fileExists(atPath: header) {
                    return directory.path
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }

    func cleanUp() {
        if ProcessInfo.processInfo.environment["AGENTCORE_BENCH_KEEP"] != nil { return }
        try? FileManager.default.removeItem(atPath: workDirectory)
    }

    /// `agentcore`, next to this executable.
    var agentcorePath: String { buildDirectory + "/agentcore" }
    var pluginHostPath: String { buildDirectory + "/agentcore-plugin-host" }
    /// This executable (for `bare-server`).
    var benchPath: String { buildDirectory + "/agentcore-bench" }

    /// Builds (incrementally) the `agentcore` binary and the built-in plugins into this bench's
    /// own build directory: `swift run agentcore-bench` builds only the bench's product.
    func buildServerAndBuiltins() throws {
        Console.line("building agentcore and the built-in plugins (swift build -c \(buildConfiguration) --scratch-path \(scratchDirectory)) ...")
        let started = ContinuousClock.now
        try Subprocess.run(
            ["swift", "build", "-c", buildConfiguration, "--scratch-path", scratchDirectory],
            directory: repositoryRoot
        )
        for required in [agentcorePath, pluginHostPath, buildDirectory + "/libagentcore-builtin-opendatabot.so", buildDirectory + "/libagentcore-builtin-webhooks.so"] {
            guard FileManager.default.fileExists(atPath: required) else { throw BenchError("\(required) is missing after the build") }
        }
        Console.line("built in \(String(format: "%.1f", (ContinuousClock.now - started).inSeconds)) s")
    }

    /// A new empty directory inside the work directory.
    func directory(_ name: String) throws -> String {
        let path = workDirectory + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Compiles `benchmarks/plugins/<source>.c` with `-DBENCH_ID="<id>"` (once per id) and
    /// returns the `.so` path; `cc -shared -fPIC -O2 -I PluginSDK/include`, as the test fixtures.
    func compiledPlugin(source: String, id: String) throws -> String {
        if let path = compiled.withLock({ $0["\(source)/\(id)"] }) { return path }
        let output = workDirectory + "/compiled/\(source)-\(id).so"
        try FileManager.default.createDirectory(atPath: workDirectory + "/compiled", withIntermediateDirectories: true)
        try Subprocess.run([
            "cc", "-shared", "-fPIC", "-O2", "-I", repositoryRoot + "/PluginSDK/include",
            "-DBENCH_ID=\"\(id)\"", "-o", output, repositoryRoot + "/benchmarks/plugins/\(source).c",
        ])
        compiled.withLock { $0["\(source)/\(id)"] = output }
        return output
    }

    /// A new directory holding one copy of the plugin per id (each its own file, so each is its own image).
    func pluginDirectory(_ name: String, source: String, ids: [String]) throws -> String {
        let directory = try directory(name)
        for id in ids {
            try FileManager.default.copyItem(atPath: try compiledPlugin(source: source, id: id), toPath: directory + "/\(id).so")
        }
        return directory
    }
}

/// A bench failure with its message.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
