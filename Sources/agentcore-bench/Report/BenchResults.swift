import Foundation

/// Everything one run wrote to `benchmarks/results.json`.
struct BenchResults: Codable, Sendable {
    var machine: MachineInfo
    var loadAverageAfter: String
    var quick: Bool
    var date: String
    var scenarios: [ScenarioReport]

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
