import AgentCoreJSON
import JSONSchema

/// 9. Config validation: validations/s of a typical webhooks config against the plugin's
/// compiled schema, and the cost of compiling it.
struct ConfigValidationScenario: Scenario {
    let id = "validation"
    let number = 9
    let title = "Config validation (webhooks plugin schema)"

    static let config = #"{"url":"https://hooks.example.com/agentcore/approvals","secret":"whk-7f3a9c1e5b2d4f6a8c0e","events":["approval.created","document.ready"],"signatureScheme":"agentcore"}"#
    static let invalidConfig = #"{"url":42,"events":["nope"],"extra":true}"#

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        // The schema as the server gets it: from the built-in webhooks plugin's descriptor.
        let harness = try await RuntimeHarness.start(environment, pluginDirectory: try environment.directory("validation-plugins"), builtinDirectory: environment.buildDirectory)
        guard let schemaSource = harness.runtime.plugin(id: "webhooks")?.configSchema else {
            await harness.shutdown()
            throw BenchError("the built-in webhooks plugin is not loaded from \(environment.buildDirectory)")
        }
        await harness.shutdown()

        let quick = environment.quick
        let compiles = quick ? 50 : 3_000
        var compileTimes: [Double] = []
        var schema = try JSONSchema(compiling: schemaSource)
        for index in 0..<(compiles + compiles / 10) {
            let start = MonotonicClock.nanoseconds()
            schema = try JSONSchema(compiling: schemaSource)
            let end = MonotonicClock.nanoseconds()
            if index >= compiles / 10 { compileTimes.append(Double(end - start)) }
        }
        let config = try JSONValue(parsing: Self.config)
        let invalid = try JSONValue(parsing: Self.invalidConfig)
        guard schema.validate(config).isEmpty else { throw BenchError("the typical config is rejected: \(schema.validate(config))") }
        let invalidErrors = schema.validate(invalid).count
        guard invalidErrors >= 2 else { throw BenchError("the invalid config gave \(invalidErrors) errors") }

        let batches = quick ? 100 : 5_000
        let validations = Self.batched(batches: batches) { _ = schema.validate(config) }
        let invalidValidations = Self.batched(batches: batches / 5) { _ = schema.validate(invalid) }
        let configBytes = Array(Self.config.utf8)
        let parses = Self.batched(batches: batches) { _ = try? JSONValue(parsing: configBytes) }

        let validate = validations.scaled(by: 1_000)
        let parse = parses.scaled(by: 1_000)
        let compile = Samples(compileTimes).scaled(by: 1_000)
        return ScenarioReport(self, figures: [
            Figure("validations/s (valid config)", 1e6 / validate.p50, unit: "/s", floor: ("JSON parses/s of the same config", 1e6 / parse.p50), samples: validate.count),
            Figure("validate p50 (valid config)", validate.p50, unit: "µs", floor: ("parse p50", parse.p50), samples: validate.count),
            Figure("validate p50 (invalid config, \(invalidErrors) errors)", invalidValidations.scaled(by: 1_000).p50, unit: "µs", floor: ("parse p50", parse.p50), samples: invalidValidations.count),
            Figure("compile p50", compile.p50, unit: "µs", floor: ("validate p50", validate.p50), samples: compile.count),
            Figure("compile p99", compile.p99, unit: "µs", samples: compile.count),
        ], details: [
            "config": Self.config,
            "timing": "validate/parse timed in batches of 100 (p50 of the per-call mean of each batch); compile per call",
        ])
    }

    private static func batched(batches: Int, _ body: () -> Void) -> Samples {
        var samples: [Double] = []
        samples.reserveCapacity(batches)
        for index in 0..<(batches + batches / 10) {
            let start = MonotonicClock.nanoseconds()
            for _ in 0..<100 { body() }
            let end = MonotonicClock.nanoseconds()
            if index >= batches / 10 { samples.append(Double(end - start) / 100) }
        }
        return Samples(samples)
    }
}
