import AgentCoreJSON
import PluginRuntime

/// 8. Instance churn: 100,000 create/destroy cycles through config changes, in process and
/// isolated; RSS growth after warm-up.
struct InstanceChurnScenario: Scenario {
    let id = "churn"
    let number = 8
    let title = "Instance churn (100,000 create/destroy via config change + invalidate)"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        var figures: [Figure] = []
        var details: [String: String] = [:]
        var notes: [String] = []
        let floor = try Self.rawChurn(environment)
        for mode in IsolationMode.allCases {
            if let reason = mode.unavailableReason {
                notes.append("\(mode.rawValue): \(reason)")
                continue
            }
            let result = try await Self.churn(environment, isolation: mode)
            figures.append(Figure(
                "RSS growth (\(mode.rawValue))", result.growthMB, unit: "MiB",
                floor: ("raw create/destroy RSS growth", floor.growthMB), target: .valueAtMost(1),
                samples: result.cycles, note: "after \(result.warmUp) warm-up cycles; \(Int(result.cyclesPerSecond)) cycles/s"
            ))
            details["\(mode.rawValue) RSS after warm-up / end"] = "\(Figure.format(result.startMB)) MiB / \(Figure.format(result.startMB + result.growthMB)) MiB"
        }
        details["raw floor cycles/s"] = "\(Int(floor.cyclesPerSecond))"
        return ScenarioReport(self, message: notes.isEmpty ? nil : notes.joined(separator: "; "), figures: figures, details: details)
    }

    struct Result {
        var cycles: Int
        var warmUp: Int
        var startMB: Double
        var growthMB: Double
        var cyclesPerSecond: Double
    }

    /// Each cycle changes the install's config, invalidates it, and makes the next lookup create
    /// the new instance; the old one is destroyed once dropped.
    static func churn(_ environment: BenchEnvironment, isolation: IsolationMode) async throws -> Result {
        let cycles = environment.quick ? 3_000 : 100_000
        let warmUp = environment.quick ? 500 : 10_000
        let directory = try environment.pluginDirectory("churn-\(isolation.rawValue)", source: "noop", ids: ["noop-churn"])
        let harness = try await RuntimeHarness.start(environment, pluginDirectory: directory, isolation: isolation)
        let runtime = harness.runtime
        harness.source.setNamespace("churn", pluginIds: ["noop-churn"], config: ["generation": 0])
        func cycle(_ generation: Int) async throws {
            harness.source.setConfig(["generation": .number(JSONNumber(generation))], namespaceId: "churn", pluginId: "noop-churn")
            await runtime.invalidate(namespaceId: "churn", pluginId: "noop-churn")
            _ = try await runtime.subscribers(of: .approvalCreated, namespaceId: "churn")
        }
        for generation in 1...warmUp { try await cycle(generation) }
        let check = try await runtime.query(namespaceId: "churn", query: "x")
        guard check.first?.status == .ok else { throw BenchError("the churned instance does not answer: \(check.map { "\($0.status) \($0.error ?? "")" })") }
        try await Task.sleep(for: .milliseconds(200))  // destroys of dropped instances run on plugin threads
        let start = ProcessMemory.trimmedResidentBytes()
        let started = ContinuousClock.now
        for generation in (warmUp + 1)...(warmUp + cycles) { try await cycle(generation) }
        let elapsed = (ContinuousClock.now - started).inSeconds
        try await Task.sleep(for: .milliseconds(500))
        let end = ProcessMemory.trimmedResidentBytes()
        await harness.shutdown()
        return Result(
            cycles: cycles, warmUp: warmUp, startMB: Double(start) / 1_048_576,
            growthMB: Double(end - start) / 1_048_576, cyclesPerSecond: Double(cycles) / elapsed
        )
    }

    /// The floor: the same number of raw create/destroy pairs, RSS measured the same way.
    static func rawChurn(_ environment: BenchEnvironment) throws -> Result {
        let cycles = environment.quick ? 3_000 : 100_000
        let plugin = try RawPlugin(copying: try environment.compiledPlugin(source: "noop", id: "noop"), into: try environment.directory("raw-churn"))
        for generation in 0..<10_000 { plugin.destroy(plugin.create(config: Array("{\"generation\":\(generation)}".utf8))) }
        let start = ProcessMemory.trimmedResidentBytes()
        let started = ContinuousClock.now
        for generation in 0..<cycles { plugin.destroy(plugin.create(config: Array("{\"generation\":\(generation)}".utf8))) }
        let elapsed = (ContinuousClock.now - started).inSeconds
        let end = ProcessMemory.trimmedResidentBytes()
        return Result(cycles: cycles, warmUp: 10_000, startMB: Double(start) / 1_048_576, growthMB: Double(end - start) / 1_048_576, cyclesPerSecond: Double(cycles) / elapsed)
    }
}
