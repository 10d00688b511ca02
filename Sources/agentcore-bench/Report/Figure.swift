import Foundation

/// One measured figure, with its floor from the same run, their ratio and the target's verdict.
struct Figure: Codable, Sendable {
    enum Verdict: String, Codable, Sendable {
        case met, missed
    }

    var name: String
    var unit: String
    var value: Double
    /// What the floor is (e.g. "raw dlsym'd call p50").
    var floorName: String?
    var floor: Double?
    /// value / floor.
    var ratio: Double?
    /// value - floor.
    var overhead: Double?
    var target: Target?
    var targetText: String?
    var verdict: Verdict?
    /// Sample count behind a percentile (warm-up excluded).
    var samples: Int?
    var note: String?

    init(_ name: String, _ value: Double, unit: String, floor: (name: String, value: Double)? = nil,
         target: Target? = nil, samples: Int? = nil, note: String? = nil) {
        self.name = name
        self.unit = unit
        self.value = value
        self.floorName = floor?.name
        self.floor = floor?.value
        if let floor, floor.value > 0, value.isFinite {
            ratio = value / floor.value
        }
        if let floor { overhead = value - floor.value }
        self.target = target
        self.targetText = target?.text(unit: unit)
        self.samples = samples
        self.note = note
        if let target {
            let measured: Double? = switch target.measure {
            case .value: value
            case .overhead: overhead
            case .ratio: ratio
            }
            if let measured, measured.isFinite {
                let met = target.comparison == .atMost ? measured <= target.limit : measured >= target.limit
                verdict = met ? .met : .missed
            }
        }
    }

    /// Three significant digits, no exponent for the magnitudes seen here.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        if magnitude >= 1000 { return String(format: "%.0f", value) }
        if magnitude >= 100 { return String(format: "%.1f", value) }
        if magnitude >= 10 { return String(format: "%.2f", value) }
        if magnitude >= 0.01 || magnitude == 0 { return String(format: "%.3f", value) }
        return String(format: "%.5f", value)
    }
}
