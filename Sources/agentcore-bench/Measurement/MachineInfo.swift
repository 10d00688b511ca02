import Foundation

/// The machine a run measured: recorded with every result, since figures only compare on one machine.
struct MachineInfo: Codable, Sendable {
    var cpuModel: String
    var logicalCPUs: Int
    var memoryTotalMB: Int
    var kernel: String
    var swiftVersion: String
    var gitCommit: String
    var loadAverageBefore: String

    var summary: String {
        "\(logicalCPUs) x \(cpuModel), \(memoryTotalMB) MB, \(swiftVersion), load \(loadAverageBefore)"
    }

    static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memoryKB = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }
            .flatMap { Int($0) } ?? 0
        let swift = Subprocess.output(["swift", "--version"])?
            .split(separator: "\n").first { $0.contains("Swift version") }
            .map { String($0).trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return MachineInfo(
            cpuModel: model,
            logicalCPUs: ProcessInfo.processInfo.activeProcessorCount,
            memoryTotalMB: memoryKB / 1024,
            kernel: Subprocess.output(["uname", "-r"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown",
            swiftVersion: swift,
            gitCommit: Subprocess.output(["git", "rev-parse", "--short", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown",
            loadAverageBefore: loadAverage()
        )
    }

    /// The 1, 5 and 15 minute load averages (the machine is shared: a loaded run says so).
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
