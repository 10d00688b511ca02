/// A figure's goal from issue 6: a bound on the value itself, on its overhead over the floor
/// (value - floor), or on its ratio to the floor (value / floor).
struct Target: Codable, Sendable {
    enum Measure: String, Codable, Sendable {
        case value, overhead, ratio
    }

    enum Comparison: String, Codable, Sendable {
        case atMost, atLeast
    }

    var measure: Measure
    var comparison: Comparison
    var limit: Double

    static func valueAtMost(_ limit: Double) -> Target { Target(measure: .value, comparison: .atMost, limit: limit) }
    static func overheadAtMost(_ limit: Double) -> Target { Target(measure: .overhead, comparison: .atMost, limit: limit) }
    static func ratioAtLeast(_ limit: Double) -> Target { Target(measure: .ratio, comparison: .atLeast, limit: limit) }

    /// "overhead <= 2 µs", "ratio >= 0.6", "<= 300 ms".
    func text(unit: String) -> String {
        let sign = comparison == .atMost ? "<=" : ">="
        switch measure {
        case .value: return "\(sign) \(Figure.format(limit)) \(unit)"
        case .overhead: return "overhead \(sign) \(Figure.format(limit)) \(unit)"
        case .ratio: return "ratio \(sign) \(Figure.format(limit))"
        }
    }
}
