/// The text table printed after each scenario, and the closing summary.
enum ReportTable {
    static func render(_ report: ScenarioReport) -> String {
        var lines: [String] = []
        switch report.status {
        case .notRun:
            lines.append("   NOT RUN: \(report.message ?? "")")
        case .failed:
            lines.append("   FAILED: \(report.message ?? "")")
        case .ran:
            break
        }
        if !report.figures.isEmpty {
            let header = ["figure", "value", "floor", "ratio", "target", "verdict"]
            var rows: [[String]] = [header]
            for figure in report.figures {
                rows.append([
                    figure.name,
                    "\(Figure.format(figure.value)) \(figure.unit)" + (figure.samples.map { " (n=\($0))" } ?? ""),
                    figure.floor.map { "\(Figure.format($0)) \(figure.unit) \(figure.floorName.map { "(\($0))" } ?? "")" } ?? "-",
                    figure.ratio.map { Figure.format($0) + "x" } ?? "-",
                    figure.targetText ?? "-",
                    figure.verdict?.rawValue ?? "-",
                ])
            }
            let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for (index, row) in rows.enumerated() {
                lines.append("   " + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
                if index == 0 { lines.append("   " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
            }
            for figure in report.figures {
                if let note = figure.note { lines.append("   * \(figure.name): \(note)") }
            }
        }
        for key in report.details.keys.sorted() {
            lines.append("   \(key): \(report.details[key]!)")
        }
        return lines.joined(separator: "\n")
    }

    static func summary(_ reports: [ScenarioReport]) -> String {
        var lines = ["== summary"]
        for report in reports {
            let verdicts = report.figures.compactMap(\.verdict)
            let met = verdicts.filter { $0 == .met }.count
            let state = switch report.status {
            case .ran: verdicts.isEmpty ? "ran (no target)" : "targets met \(met)/\(verdicts.count)"
            case .notRun: "not run"
            case .failed: "FAILED"
            }
            lines.append("   \(report.number). \(report.id): \(state)" + (report.seconds.map { String(format: " in %.1f s", $0) } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
