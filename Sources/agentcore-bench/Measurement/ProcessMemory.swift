import Foundation

/// Resident memory of a process, read from /proc.
enum ProcessMemory {
    /// VmRSS of `pid` (the bench itself by default) in bytes; nil when unreadable.
    static func residentBytes(pid: Int32? = nil) -> Int? {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    /// VmRSS of the bench in bytes, after returning freed heap to the system (so only live memory counts).
    static func trimmedResidentBytes() -> Int {
        _ = glibcMallocTrim(0)
        return residentBytes() ?? 0
    }

    /// Direct children of `pid` (from /proc/<pid>/task/*/children).
    static func childProcesses(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var children: [Int32] = []
        for task in tasks {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            children += text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return children
    }
}

/// glibc's malloc_trim (not exported by the Glibc module): returns freed heap pages to the system.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
