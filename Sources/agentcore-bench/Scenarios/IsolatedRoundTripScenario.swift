/// 2. Process-isolated round trip: the no-op agent_query of scenario 1 with the plugin in a child process.
struct IsolatedRoundTripScenario: Scenario {
    let id = "isolated"
    let number = 2
    let title = "Process-isolated round trip (200-byte query, no-op plugin)"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        if let reason = IsolationMode.process.unavailableReason {
            return ScenarioReport(self, status: .notRun, message: reason)
        }
        let result = try await DispatchMeasurement.run(environment, isolation: .process)
        let dispatch = result.dispatch.scaled(by: 1_000)
        let raw = result.raw.scaled(by: 1_000)
        return ScenarioReport(self, figures: [
            Figure("isolated call p50", dispatch.p50, unit: "µs", floor: ("raw dlsym'd call p50", raw.p50),
                   target: .valueAtMost(25), samples: dispatch.count),
            Figure("isolated call p99", dispatch.p99, unit: "µs", floor: ("raw dlsym'd call p99", raw.p99), samples: dispatch.count),
        ])
    }
}
