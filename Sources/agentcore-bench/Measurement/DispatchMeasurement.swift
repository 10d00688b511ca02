import PluginRuntime

/// The no-op agent_query call through the full dispatcher (`PluginRuntime.query`: registry
/// lookup, context, JSON in and out, timeout guard, plugin thread) against the same function
/// called raw through its dlsym'd descriptor, in one run.
struct DispatchMeasurement {
    /// Per-call dispatch times and per-call raw times, in nanoseconds.
    struct Result {
        var dispatch: Samples
        var raw: Samples
    }

    /// A 200-byte query, the size issue 6 names.
    static let query: String = {
        let text = "Which companies does EDRPOU 14360570 belong to, who directs them, and when were they registered? "
        return String((text + text + text).utf8.prefix(200))!
    }()

    static func run(_ environment: BenchEnvironment, isolation: IsolationMode) async throws -> Result {
        let quick = environment.quick
        let pluginPath = try environment.compiledPlugin(source: "noop", id: "noop")
        let directory = try environment.pluginDirectory("dispatch-\(isolation.rawValue)", source: "noop", ids: ["noop"])
        let harness = try await RuntimeHarness.start(environment, pluginDirectory: directory, isolation: isolation)
        harness.source.setNamespace("bench", pluginIds: ["noop"])
        let query = Self.query
        precondition(query.utf8.count == 200)

        // Check once that the call really goes through and succeeds.
        let first = try await harness.runtime.query(namespaceId: "bench", query: query)
        guard first.count == 1, first[0].status == .ok, first[0].data?["noop"]?.boolValue == true else {
            await harness.shutdown()
            throw BenchError("the no-op query did not answer ok: \(first.map { "\($0.status) \($0.error ?? "")" })")
        }

        let warmUp = quick ? 200 : 5_000
        let measured = quick ? 1_000 : 30_000
        var dispatch: [Double] = []
        dispatch.reserveCapacity(measured)
        for index in 0..<(warmUp + measured) {
            let start = MonotonicClock.nanoseconds()
            let results = try await harness.runtime.query(namespaceId: "bench", query: query)
            let end = MonotonicClock.nanoseconds()
            if results.first?.status != .ok { throw BenchError("query \(index) answered \(results.first.map { "\($0.status)" } ?? "nothing")") }
            if index >= warmUp { dispatch.append(Double(end - start)) }
        }
        await harness.shutdown()

        let raw = try rawCallTimes(pluginPath: pluginPath, environment: environment, batches: quick ? 200 : 5_000)
        return Result(dispatch: Samples(dispatch), raw: raw)
    }

    /// Raw calls timed in batches of 100 (a single call is shorter than a clock read); each
    /// sample is one batch's time per call.
    static func rawCallTimes(pluginPath: String, environment: BenchEnvironment, batches: Int) throws -> Samples {
        let plugin = try RawPlugin(copying: pluginPath, into: try environment.directory("raw"))
        let instance = plugin.create(config: Array("{}".utf8))
        defer { plugin.destroy(instance) }
        var query = Self.query
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        var output = RawPlugin.Output(base: buffer, capacity: 4096, length: 0)
        let batch = 100
        var samples: [Double] = []
        samples.reserveCapacity(batches)
        query.withUTF8 { bytes in
            let pointer = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            withUnsafeMutablePointer(to: &output) { output in
                for index in 0..<(batches + batches / 10) {
                    let start = MonotonicClock.nanoseconds()
                    for _ in 0..<batch {
                        _ = plugin.query(instance, pointer, count: bytes.count, output: output)
                    }
                    let end = MonotonicClock.nanoseconds()
                    if index >= batches / 10 { samples.append(Double(end - start) / Double(batch)) }
                }
            }
        }
        guard output.length == 13 else { throw BenchError("the raw call set \(output.length) output bytes, expected 13") }
        return Samples(samples)
    }
}
