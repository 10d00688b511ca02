/// 1. In-process hook dispatch overhead: a no-op agent_query through the full dispatcher vs the raw call.
struct DispatchOverheadScenario: Scenario {
    let id = "dispatch"
    let number = 1
    let title = "In-process hook dispatch overhead (200-byte query, no-op plugin)"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        let result = try await DispatchMeasurement.run(environment, isolation: .inProcess)
        let dispatch = result.dispatch.scaled(by: 1_000)
        let raw = result.raw.scaled(by: 1_000)
        return ScenarioReport(self, figures: [
            Figure("dispatch p50", dispatch.p50, unit: "µs", floor: ("raw dlsym'd call p50", raw.p50),
                   target: .overheadAtMost(2), samples: dispatch.count,
                   note: "overhead p50 = \(Figure.format(dispatch.p50 - raw.p50)) µs per call"),
            Figure("dispatch p99", dispatch.p99, unit: "µs", floor: ("raw dlsym'd call p99", raw.p99), samples: dispatch.count),
        ], details: [
            "raw call samples": "\(raw.count) batches of 100 calls",
            "dispatch mean": "\(Figure.format(dispatch.mean)) µs",
        ])
    }
}
