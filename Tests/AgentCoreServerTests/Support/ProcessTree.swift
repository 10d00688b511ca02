import Foundation

/// A process and its children as `/proc` shows them: what they have mapped (whether a
/// dlopened library is still open in the server or a plugin-host child) and which children run.
enum ProcessTree {
    /// The distinct files mapped by `pid` and its direct children whose path contains `fragment`.
    static func mappedFiles(containing fragment: String, processAndChildrenOf pid: Int32) -> Set<String> {
        var files: Set<String> = []
        for process in [pid] + children(of: pid) {
            guard let maps = procFile("/proc/\(process)/maps") else { continue }
            for line in maps.split(separator: "\n") {
                // address perms offset dev inode path; the path is the rest after the fifth field.
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                guard fields.count == 6 else { continue }
                let path = fields[5].trimmingCharacters(in: .whitespaces)
                if path.contains(fragment) { files.insert(path) }
            }
        }
        return files
    }

    /// The children of `pid` whose command line contains `fragment` (a plugin-host child ends
    /// its command line with the path of the private copy it serves).
    static func children(of pid: Int32, commandLineContaining fragment: String) -> [Int32] {
        children(of: pid).filter { child in
            procFile("/proc/\(child)/cmdline")?.contains(fragment) == true
        }
    }

    /// Whether `pid` still exists (a zombie counts: it was not reaped).
    static func exists(_ pid: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    /// The pids whose parent is `pid` (field 4 of `/proc/<pid>/stat`, after the parenthesised name).
    static func children(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let candidate = Int32(entry),
                  let stat = procFile("/proc/\(entry)/stat"),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == pid else { return nil }
            return candidate
        }
    }

    /// The whole text of a `/proc` file. Read to the end: these files report size 0, and
    /// `String(contentsOfFile:)` / `FileManager.contents(atPath:)` return only the first page.
    private static func procFile(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()).map { String(decoding: $0 ?? Data(), as: UTF8.self) }
    }
}
