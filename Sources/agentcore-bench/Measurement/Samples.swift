/// Measured values of one quantity (warm-up already excluded), with their percentiles.
struct Samples: Sendable {
    private(set) var sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    var count: Int { sorted.count }

    /// The nearest-rank percentile, `p` in 0...100.
    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var mean: Double { sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count) }
    var min: Double { sorted.first ?? .nan }
    var max: Double { sorted.last ?? .nan }

    /// The samples divided by `divisor` (nanoseconds to microseconds: 1_000).
    func scaled(by divisor: Double) -> Samples {
        Samples(sorted.map { $0 / divisor })
    }
}
