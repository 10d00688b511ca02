import Foundation
import Glibc
public import Logging
import Synchronization

/// Writes each log event as one line to a file descriptor (standard error by default), in the
/// format of swift-log's `StreamLogHandler`:
/// `2025-01-01T10:00:00+0000 info agentcore: key=value ... [source] message`.
///
/// The server logs a line per request, which with `StreamLogHandler` cost about a third of the
/// throughput of a small route (measured with wrk, BENCHMARKS.md scenario 5). This handler does
/// the least per line that the format allows: metadata set on a logger (request id, caller) is
/// merged and sorted only when a line is written, where `StreamLogHandler` re-renders it on
/// every change; the timestamp is formatted once per second (`localtime` stats
/// `/etc/localtime` on every call); and lines below `warning` are gathered for up to
/// ``LogLineWriter/gatherInterval`` and written together, one `write(2)` for many lines,
/// instead of one locked stdio write each.
///
/// Durability: a `warning` or worse line is written, after every line before it, before `log`
/// returns; lines below it reach the file within a few milliseconds, and on a normal exit
/// (`exit`, return from `main`). Only a process killed outright (SIGKILL, a crash) can lose the
/// last milliseconds of `info`/`debug` lines.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: LogLineWriter

    /// - Parameters:
    ///   - label: The logger's label, written after the level.
    ///   - output: Where lines go: ``LogLineWriter/standardError`` by default.
    ///   - metadataProvider: Adds metadata to every line, as with `StreamLogHandler`.
    public init(label: String, output: LogLineWriter = .standardError, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        // Bytes rather than String appends: a request line has some twenty pieces.
        var line: [UInt8] = []
        line.reserveCapacity(512)
        line.append(contentsOf: Self.clock.timestamp().utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.utf8)
        if !label.isEmpty {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: label.utf8)
        }
        line.append(UInt8(ascii: ":"))
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            if case .string(let text) = value {
                line.append(contentsOf: text.utf8)
            } else {
                line.append(contentsOf: value.description.utf8)
            }
        }
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: event.source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: event.message.description.utf8)
        line.append(UInt8(ascii: "\n"))
        output.write(line, now: event.level >= .warning)
    }

    private static let clock = SecondClock()
}

/// Lines on their way to one file descriptor: gathered in memory and written by a background
/// thread at most ``gatherInterval`` after the first of them, or at once when asked.
///
/// Order is kept: every write of gathered bytes happens under one lock, taking the bytes in
/// the order they were added. Gathered bytes never exceed ``maxGathered``: past it the caller
/// writes them itself (back-pressure when the output is slow).
public final class LogLineWriter: Sendable {
    /// How long a line may wait to be written together with the next ones.
    public static let gatherInterval: Duration = .milliseconds(2)
    static let maxGathered = 1 << 20

    /// Standard error, flushed on `exit`.
    public static let standardError: LogLineWriter = {
        let writer = LogLineWriter(fileDescriptor: 2)
        atexit { LogLineWriter.standardError.flush() }
        return writer
    }()

    private let fileDescriptor: Int32
    private let gathered = Mutex<[UInt8]>([])
    /// Held while writing to the descriptor, so gathered bytes go out in the order they came.
    private let writing = Mutex<Void>(())
    /// Signalled when the first line goes into an empty buffer: the flusher then waits out
    /// ``gatherInterval`` and writes everything gathered by then.
    private let pending = DispatchSemaphore(value: 0)

    /// - Parameter fileDescriptor: Not closed by the writer.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        let thread = Thread { [self] in flushLoop() }
        thread.name = "log-writer"
        thread.start()
    }

    /// Adds a line (UTF-8, with its newline). With `now`, it is written, after everything gathered
    /// before it, before this returns.
    public func write(_ line: [UInt8], now: Bool) {
        let (wasEmpty, full) = gathered.withLock { bytes in
            let wasEmpty = bytes.isEmpty
            bytes.append(contentsOf: line)
            return (wasEmpty, bytes.count >= Self.maxGathered)
        }
        if now || full {
            flush()
        } else if wasEmpty {
            pending.signal()
        }
    }

    /// Writes everything gathered so far before returning.
    public func flush() {
        writing.withLock { _ in
            let bytes = gathered.withLock { bytes in
                defer { bytes.removeAll(keepingCapacity: bytes.capacity <= 64 << 10) }
                return bytes
            }
            guard !bytes.isEmpty else { return }
            bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0, errno == EINTR {
                        continue
                    } else {
                        return  // nowhere to report a failed log write
                    }
                }
            }
        }
    }

    private func flushLoop() {
        let pause = timespec(tv_sec: 0, tv_nsec: Int(Self.gatherInterval.components.attoseconds / 1_000_000_000))
        while true {
            pending.wait()
            var request = pause
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
            flush()
        }
    }
}

/// The local time as `StreamLogHandler` writes it (`%Y-%m-%dT%H:%M:%S%z`), formatted once per second.
private final class SecondClock: Sendable {
    private let cached = Mutex<(second: Int, text: String)>((-1, ""))

    func timestamp() -> String {
        let now = time(nil)
        if let text = cached.withLock({ $0.second == now ? $0.text : nil }) { return text }
        var seconds = now
        var local = tm()
        // localtime_r, unlike localtime, does not re-read the time zone file on every call.
        guard localtime_r(&seconds, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(cString: buffer)
        cached.withLock { $0 = (now, text) }
        return text
    }
}
