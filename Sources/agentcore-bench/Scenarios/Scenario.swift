/// One benchmark of issue 6.
protocol Scenario: Sendable {
    /// The name given to `--only`.
    var id: String { get }
    /// The number in issue 6 and BENCHMARKS.md.
    var number: Int { get }
    var title: String { get }
    /// Measures; `environment.quick` asks for a brief run that only proves the scenario works.
    /// - Throws: anything that makes the figures meaningless (the run then fails).
    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport
}

/// Every scenario, in the order.
enum ScenarioCatalog {
    static let all: [any Scenario] = [
        DispatchOverheadScenario(),
        IsolatedRoundTripScenario(),
        FanOutScenario(),
        RegistryScaleScenario(),
        HTTPThroughputScenario(),
        StartupScenario(),
        WebhookDeliveryScenario(),
        InstanceChurnScenario(),
        ConfigValidationScenario(),
    ]
}
