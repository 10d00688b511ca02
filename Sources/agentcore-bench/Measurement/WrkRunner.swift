import Foundation

/// Runs wrk (the Debian package) and reads its requests/s and latency percentiles.
struct WrkRunner {
    struct Result: Sendable {
        var requestsPerSecond: Double
        /// Milliseconds.
        var p50: Double
        var p99: Double
        var requests: Int
        var non2xx: Int
        var socketErrors: String?
    }

    let path: String

    /// wrk from PATH; installs the Debian package when `install` is true and it is missing.
    static func find(install: Bool) -> WrkRunner? {
        if let path = Self.which() { return WrkRunner(path: path) }
        guard install else { return nil }
        Console.note("wrk is missing: apt-get install -y wrk ...")
        _ = try? Subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], environment: ["DEBIAN_FRONTEND": "noninteractive"])
        if Self.which() == nil {
            _ = try? Subprocess.run(["apt-get", "update", "-qq"])
            _ = try? Subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], environment: ["DEBIAN_FRONTEND": "noninteractive"])
        }
        return Self.which().map(WrkRunner.init(path:))
    }

    private static func which() -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(directory)/wrk"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `wrk -t2 -c<connections> -d<seconds>s --latency`, with a POST body through a Lua script when given.
    func run(url: String, token: String?, postBody: String? = nil, connections: Int = 64, seconds: Int, scriptDirectory: String) throws -> Result {
        var arguments = [path, "-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "--timeout", "10s"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let postBody {
            let script = scriptDirectory + "/post-\(abs(postBody.hashValue)).lua"
            let escaped = postBody.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            try """
            wrk.method = "POST"
            wrk.body = "\(escaped)"
            wrk.headers["Content-Type"] = "application/json"
            """.write(toFile: script, atomically: true, encoding: .utf8)
            arguments += ["-s", script]
        }
        arguments.append(url)
        let output = try Subprocess.run(arguments)
        return try Self.parse(output)
    }

    static func parse(_ output: String) throws -> Result {
        var result = Result(requestsPerSecond: .nan, p50: .nan, p99: .nan, requests: 0, non2xx: 0)
        for rawLine in output.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), fields.count >= 2 {
                result.requestsPerSecond = Double(fields[1]) ?? .nan
            } else if line.hasPrefix("50%"), fields.count >= 2 {
                result.p50 = milliseconds(String(fields[1]))
            } else if line.hasPrefix("99%"), fields.count >= 2 {
                result.p99 = milliseconds(String(fields[1]))
            } else if line.contains("requests in"), let count = Int(fields.first ?? "") {
                result.requests = count
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = Int(fields.last ?? "") {
                result.non2xx = count
            } else if line.hasPrefix("Socket errors:") {
                result.socketErrors = line
            }
        }
        guard result.requestsPerSecond.isFinite, result.p50.isFinite, result.p99.isFinite else {
            throw BenchError("cannot read wrk's output:\n\(output)")
        }
        return result
    }

    /// "812.00us", "1.23ms", "1.01s" in milliseconds.
    private static func milliseconds(_ text: String) -> Double {
        for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? .nan) * factor
        }
        return .nan
    }
}
