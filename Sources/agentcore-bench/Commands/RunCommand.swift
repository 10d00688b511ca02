import ArgumentParser
import Foundation

/// Runs the scenarios, prints the table and writes the results (the default subcommand).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every scenario (or one with --only), print the table, write benchmarks/results.json."
    )

    @Flag(help: "Run each scenario briefly and only check that it completes (exit 1 when one fails). Writes no results unless --output is given.")
    var quick = false

    @Option(help: "Run only this scenario (\(ScenarioCatalog.all.map(\.id).joined(separator: ", "))); repeatable.")
    var only: [String] = []

    @Option(help: "Where to write the results (default: benchmarks/results.json; none in --quick mode).")
    var output: String?

    @Flag(help: "Do not run `swift build` for the agentcore binary and the built-in plugins first.")
    var noBuild = false

    func validate() throws {
        let known = Set(ScenarioCatalog.all.map(\.id))
        for id in only where !known.contains(id) {
            throw ValidationError("unknown scenario \(id); known: \(ScenarioCatalog.all.map(\.id).joined(separator: ", "))")
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let environment = try BenchEnvironment.prepare(quick: quick)
        defer { environment.cleanUp() }
        if !noBuild { try environment.buildServerAndBuiltins() }
        let scenarios = ScenarioCatalog.all.filter { only.isEmpty || only.contains($0.id) }
        let machineBefore = MachineInfo.current()
        Console.line("agentcore-bench\(quick ? " --quick" : ""): \(scenarios.count) scenario(s) on \(machineBefore.summary)")

        var reports: [ScenarioReport] = []
        for scenario in scenarios {
            Console.line("\n== \(scenario.number). \(scenario.title) [\(scenario.id)]")
            let started = ContinuousClock.now
            var report: ScenarioReport
            do {
                report = try await scenario.run(environment)
            } catch {
                report = ScenarioReport(scenario, status: .failed, message: "\(error)")
            }
            report.seconds = (ContinuousClock.now - started).inSeconds
            Console.line(ReportTable.render(report))
            reports.append(report)
        }

        let results = BenchResults(
            machine: machineBefore, loadAverageAfter: MachineInfo.loadAverage(), quick: quick,
            date: ISO8601DateFormatter().string(from: Date()), scenarios: reports
        )
        Console.line("\n" + ReportTable.summary(reports))
        let destination = output ?? (quick ? nil : environment.repositoryRoot + "/benchmarks/results.json")
        if let destination {
            try results.write(to: destination)
            Console.line("results written to \(destination)")
        }
        if reports.contains(where: { $0.status == .failed }) {
            throw ExitCode(1)
        }
    }
}
