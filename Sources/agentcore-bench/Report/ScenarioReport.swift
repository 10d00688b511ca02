/// What one scenario produced: its figures, or why it did not run.
struct ScenarioReport: Codable, Sendable {
    enum Status: String, Codable, Sendable {
        /// Ran to completion; the figures are valid.
        case ran
        /// Deliberately not run here (a missing tool, a feature not built yet); not a failure.
        case notRun = "not run"
        /// Something went wrong: the bench exits non-zero.
        case failed
    }

    var id: String
    var number: Int
    var title: String
    var status: Status
    var message: String?
    var figures: [Figure]
    /// Extra numbers worth keeping (counts, settings), by name.
    var details: [String: String]
    var seconds: Double?

    init(_ scenario: any Scenario, status: Status = .ran, message: String? = nil, figures: [Figure] = [], details: [String: String] = [:]) {
        self.id = scenario.id
        self.number = scenario.number
        self.title = scenario.title
        self.status = status
        self.message = message
        self.figures = figures
        self.details = details
    }
}
