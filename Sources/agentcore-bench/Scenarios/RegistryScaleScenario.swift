import PluginRuntime
import Synchronization

/// 4. Registry at scale: 1,000 namespaces x 10 plugins: cache-hit lookup, invalidate then first
/// call, and memory per cached instance.
struct RegistryScaleScenario: Scenario {
    let id = "registry"
    let number = 4
    let title = "Registry at scale (1,000 namespaces x 10 plugins)"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        let quick = environment.quick
        let namespaceCount = quick ? 50 : 1_000
        let pluginIds = (1...10).map { String(format: "noop-%02d", $0) }
        let directory = try environment.pluginDirectory("registry", source: "noop", ids: pluginIds)
        let harness = try await RuntimeHarness.start(environment, pluginDirectory: directory)
        let runtime = harness.runtime
        let namespaces = (0..<namespaceCount).map { "ns-\($0)" }
        for namespace in namespaces { harness.source.setNamespace(namespace, pluginIds: pluginIds) }

        // Memory per cached instance: RSS before and after every namespace's instances exist.
        let before = ProcessMemory.trimmedResidentBytes()
        for namespace in namespaces {
            _ = try await runtime.subscribers(of: .approvalCreated, namespaceId: namespace)
        }
        let after = ProcessMemory.trimmedResidentBytes()
        let instances = namespaceCount * pluginIds.count
        let bytesPerInstance = Double(after - before) / Double(instances)
        let check = try await runtime.query(namespaceId: namespaces[namespaceCount / 2], query: "x")
        guard check.count == 10, check.allSatisfy({ $0.status == .ok }) else {
            await harness.shutdown()
            throw BenchError("a filled namespace did not answer with its 10 plugins: \(check.map { "\($0.pluginId) \($0.status)" })")
        }

        // Cache-hit lookups on random namespaces, timed per batch of 100.
        var generator = SplitMix64(seed: 42)
        let order = (0..<100_000).map { _ in namespaces[Int(generator.next() % UInt64(namespaceCount))] }
        let batch = 100
        let batches = quick ? 200 : 5_000
        var hits: [Double] = []
        hits.reserveCapacity(batches)
        var cursor = 0
        for index in 0..<(batches + batches / 10) {
            let start = MonotonicClock.nanoseconds()
            for _ in 0..<batch {
                _ = try await runtime.subscribers(of: .approvalCreated, namespaceId: order[cursor])
                cursor = (cursor + 1) % order.count
            }
            let end = MonotonicClock.nanoseconds()
            if index >= batches / 10 { hits.append(Double(end - start) / Double(batch)) }
        }
        let floorHits = Self.lockedDictionaryLookups(namespaces: namespaces, order: order, batches: batches)

        // Invalidate one plugin of a namespace, then the first call creates its instance again.
        let samples = quick ? 100 : 3_000
        var refills: [Double] = []
        refills.reserveCapacity(samples)
        for index in 0..<(samples + samples / 10) {
            let namespace = namespaces[Int(generator.next() % UInt64(namespaceCount))]
            let pluginId = pluginIds[Int(generator.next() % 10)]
            let start = MonotonicClock.nanoseconds()
            await runtime.invalidate(namespaceId: namespace, pluginId: pluginId)
            _ = try await runtime.subscribers(of: .approvalCreated, namespaceId: namespace)
            let end = MonotonicClock.nanoseconds()
            if index >= samples / 10 { refills.append(Double(end - start)) }
        }
        // The same after dropping a whole namespace (10 creates).
        var namespaceRefills: [Double] = []
        for index in 0..<(samples / 3 + 10) {
            let namespace = namespaces[Int(generator.next() % UInt64(namespaceCount))]
            let start = MonotonicClock.nanoseconds()
            await runtime.invalidate(namespaceId: namespace)
            _ = try await runtime.subscribers(of: .approvalCreated, namespaceId: namespace)
            let end = MonotonicClock.nanoseconds()
            if index >= 10 { namespaceRefills.append(Double(end - start)) }
        }
        await harness.shutdown()

        let create = try Self.rawCreateTimes(environment, batches: quick ? 100 : 2_000).scaled(by: 1_000)
        let hit = Samples(hits)
        let refill = Samples(refills).scaled(by: 1_000)
        let namespaceRefill = Samples(namespaceRefills).scaled(by: 1_000)
        return ScenarioReport(self, figures: [
            Figure("cache-hit lookup p50", hit.p50, unit: "ns", floor: ("Mutex<[String: T]> lookup p50", floorHits.p50),
                   target: .valueAtMost(1_000), samples: hit.count,
                   note: "public path: subscribers(of:namespaceId:) on a cached namespace (lookup + filter of its 10 installs); batches of 100"),
            Figure("cache-hit lookup p99", hit.p99, unit: "ns", floor: ("Mutex<[String: T]> lookup p99", floorHits.p99), samples: hit.count),
            Figure("invalidate + first call p50", refill.p50, unit: "µs", floor: ("raw create p50", create.p50),
                   target: .overheadAtMost(100), samples: refill.count,
                   note: "invalidate(namespaceId:pluginId:) then subscribers(): re-reads installs, validates 10 configs, creates 1 instance on a plugin thread"),
            Figure("invalidate + first call p99", refill.p99, unit: "µs", floor: ("raw create p99", create.p99),
                   target: .overheadAtMost(100), samples: refill.count),
            Figure("invalidate namespace + first call p50", namespaceRefill.p50, unit: "µs", floor: ("10 raw creates p50", create.p50 * 10),
                   samples: namespaceRefill.count, note: "all 10 instances of the namespace created again"),
            Figure("memory per cached instance", bytesPerInstance / 1024, unit: "KiB",
                   note: "RSS growth (after malloc_trim) over \(instances) instances / \(instances); includes the plugin's 64-byte state, context, snapshot and statistics"),
        ], details: [
            "namespaces x plugins": "\(namespaceCount) x \(pluginIds.count)",
            "RSS before / after fill": "\(before / 1_048_576) MiB / \(after / 1_048_576) MiB",
        ])
    }

    /// The floor of a lookup: a string-keyed dictionary read under a Mutex returning a class reference.
    private static func lockedDictionaryLookups(namespaces: [String], order: [String], batches: Int) -> Samples {
        final class Entry: Sendable {
            let plugins: [String]
            init(plugins: [String]) { self.plugins = plugins }
        }
        let table = Mutex(Dictionary(uniqueKeysWithValues: namespaces.map { ($0, Entry(plugins: [$0])) }))
        var samples: [Double] = []
        var cursor = 0
        var sink = 0
        for index in 0..<(batches + batches / 10) {
            let start = MonotonicClock.nanoseconds()
            for _ in 0..<100 {
                let key = order[cursor]
                let entry = table.withLock { $0[key] }
                sink &+= entry?.plugins.count ?? 0
                cursor = (cursor + 1) % order.count
            }
            let end = MonotonicClock.nanoseconds()
            if index >= batches / 10 { samples.append(Double(end - start) / 100) }
        }
        precondition(sink > 0)
        return Samples(samples)
    }

    /// Raw `create` of the no-op plugin, per call, timed in batches of 100 (destroyed untimed).
    static func rawCreateTimes(_ environment: BenchEnvironment, batches: Int) throws -> Samples {
        let plugin = try RawPlugin(copying: try environment.compiledPlugin(source: "noop", id: "noop"), into: try environment.directory("raw-create"))
        let config = Array("{}".utf8)
        var samples: [Double] = []
        var instances: [OpaquePointer?] = []
        instances.reserveCapacity(100)
        for index in 0..<(batches + batches / 10) {
            let start = MonotonicClock.nanoseconds()
            for _ in 0..<100 { instances.append(plugin.create(config: config)) }
            let end = MonotonicClock.nanoseconds()
            for instance in instances { plugin.destroy(instance) }
            instances.removeAll(keepingCapacity: true)
            if index >= batches / 10 { samples.append(Double(end - start) / 100) }
        }
        return Samples(samples)
    }
}

/// A small deterministic generator, so every run visits namespaces in the same order.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
