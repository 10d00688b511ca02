import Foundation

/// 6. Startup: exec to `/healthz` ready with the built-ins and 50 directory plugins, and idle RSS.
struct StartupScenario: Scenario {
    let id = "startup"
    let number = 6
    let title = "Startup (exec -> /healthz with built-ins + 50 directory plugins) and idle RSS"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        let pluginIds = (1...50).map { String(format: "dir-%02d", $0) }
        let plugins = try environment.pluginDirectory("startup-plugins", source: "noop", ids: pluginIds)
        let runs = environment.quick ? 2 : 12
        let bare = try await measure(runs: runs + 1, environment: environment, name: "startup-bare") { port in
            (environment.benchPath, ["bare-server", "--port", "\(port)"], [:])
        }
        let bareReady = Samples(bare.readyTimes)
        let bareRSS = Samples(bare.idleRSS)
        var figures: [Figure] = []
        let details: [String: String] = [
            "plugins": "2 built-ins (opendatabot, webhooks, in process) + 50 C no-op plugins in --plugins-dir",
            "data directory": "existing (the first start of each mode, which creates the database and keys, is excluded)",
            "isolation": "process = the server's default for directory plugins (one plugin-host child each); in-process = --directory-isolation inprocess",
        ]
        for mode in [IsolationMode.process, .inProcess] {
            let data = try environment.directory("startup-data-\(mode.rawValue)")
            let name = "startup-\(mode.rawValue)"
            let server = try await measure(runs: runs + 1, environment: environment, name: name, childrenOf: true) { port in
                (environment.agentcorePath, ["serve", "--port", "\(port)", "--data-dir", data, "--plugins-dir", plugins, "--directory-isolation", mode.serveFlag],
                 ["AGENTCORE_JWT_SECRET": environment.jwtSecret])
            }
            // The 52 plugins really loaded: the runtime's log line says so.
            let log = (try? String(contentsOfFile: environment.workDirectory + "/\(name).log", encoding: .utf8)) ?? ""
            guard log.contains("loaded=52") else {
                throw BenchError("\(name): the server did not report 52 loaded plugins:\n\(log.suffix(1500))")
            }
            let ready = Samples(server.readyTimes)
            let rss = Samples(server.idleRSS)
            figures.append(Figure("exec -> /healthz p50 (\(mode.rawValue))", ready.p50, unit: "ms", floor: ("bare Hummingbird server p50", bareReady.p50), target: .valueAtMost(300), samples: ready.count))
            figures.append(Figure("exec -> /healthz max (\(mode.rawValue))", ready.max, unit: "ms", floor: ("bare Hummingbird server max", bareReady.max), target: .valueAtMost(300), samples: ready.count))
            figures.append(Figure("idle RSS of the server (\(mode.rawValue))", rss.p50, unit: "MiB", floor: ("bare Hummingbird server", bareRSS.p50), target: .valueAtMost(60), samples: rss.count))
            if mode == .process {
                let children = Samples(server.childrenRSS)
                figures.append(Figure("idle RSS of its plugin-host children, total (process)", children.p50, unit: "MiB", samples: children.count,
                                      note: "sum of VmRSS of the server's child processes (shared pages counted in each)"))
            }
        }
        return ScenarioReport(self, figures: figures, details: details)
    }

    private struct Measured {
        var readyTimes: [Double] = []
        var idleRSS: [Double] = []
        var childrenRSS: [Double] = []
    }

    private func measure(
        runs: Int, environment: BenchEnvironment, name: String, childrenOf: Bool = false,
        command: (Int) -> (String, [String], [String: String])
    ) async throws -> Measured {
        var measured = Measured()
        for run in 0..<runs {
            let port = try HealthProbe.freePort()
            let (executable, arguments, variables) = command(port)
            let start = MonotonicClock.nanoseconds()
            let process = try ServerProcess.launch(executable, arguments, environment: variables, logPath: environment.workDirectory + "/\(name).log")
            let ready = HealthProbe.waitUntilHealthy(port: port, deadlineNanoseconds: start + 30_000_000_000)
            guard let ready else {
                process.terminate()
                process.waitUntilExit()
                let log = (try? String(contentsOfFile: environment.workDirectory + "/\(name).log", encoding: .utf8)) ?? ""
                throw BenchError("\(name): /healthz did not answer within 30 s:\n\(log.suffix(1500))")
            }
            try await Task.sleep(for: .seconds(1))
            let rss = ProcessMemory.residentBytes(pid: process.processIdentifier) ?? 0
            let childrenRSS = ProcessMemory.childProcesses(of: process.processIdentifier).compactMap { ProcessMemory.residentBytes(pid: $0) }.reduce(0, +)
            process.terminate()
            process.waitUntilExit()
            if run > 0 {
                measured.readyTimes.append(Double(ready - start) / 1_000_000)
                measured.idleRSS.append(Double(rss) / 1_048_576)
                measured.childrenRSS.append(Double(childrenRSS) / 1_048_576)
            }
        }
        return measured
    }
}
