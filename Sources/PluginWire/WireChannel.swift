#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One end of a stream socket carrying length-prefixed frames: a little-endian `UInt32` byte
/// count, then that many bytes (a kind byte and the payload).
///
/// Strictly request/answer: one thread uses a channel at a time. Sends use `MSG_NOSIGNAL`, so a
/// dead peer gives `.closed` instead of SIGPIPE. Owns the descriptor and closes it in `deinit`.
public final class WireChannel: @unchecked Sendable {
    // @unchecked: `fd` is immutable; callers use a channel from one thread at a time (the pool
    // hands it out exclusively), and `shutdown` from another thread only calls shutdown(2).
    public let fd: Int32
    /// Frames above this size are refused as malformed (a corrupt length must not allocate gigabytes).
    public static let maxFrameSize = 64 << 20

    public init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Makes the peer's reads end and this side's blocked reads return `.closed`.
    public func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    /// Sends one frame.
    public func send(kind: UInt8, payload: [UInt8]) throws(WireError) {
        var frame: [UInt8] = []
        frame.reserveCapacity(5 + payload.count)
        withUnsafeBytes(of: UInt32(payload.count + 1).littleEndian) { frame.append(contentsOf: $0) }
        frame.append(kind)
        frame.append(contentsOf: payload)
        let failure: WireError? = frame.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let result = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if result < 0 {
                    let error = errno
                    if error == EINTR { continue }
                    if error == EPIPE || error == ECONNRESET { return .closed }
                    return .system(call: "send", errno: error)
                }
                sent += result
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Receives one frame, waiting at most until `deadline` (forever when nil).
    public func receive(deadline: ContinuousClock.Instant? = nil) throws(WireError) -> (kind: UInt8, payload: [UInt8]) {
        let header = try read(count: 4, deadline: deadline)
        let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
        guard length >= 1, length <= Self.maxFrameSize else { throw .malformed("frame length \(length)") }
        let body = try read(count: length, deadline: deadline)
        return (body[0], Array(body[1...]))
    }

    private func read(count: Int, deadline: ContinuousClock.Instant?) throws(WireError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            if let deadline { try wait(until: deadline) }
            let result = buffer.withUnsafeMutableBytes { raw in
                recv(fd, raw.baseAddress! + received, count - received, 0)
            }
            if result == 0 { throw .closed }
            if result < 0 {
                let error = errno
                if error == EINTR || error == EAGAIN { continue }
                if error == ECONNRESET { throw .closed }
                throw .system(call: "recv", errno: error)
            }
            received += result
        }
        return buffer
    }

    /// Returns when the socket is readable; throws `.timedOut` at the deadline.
    private func wait(until deadline: ContinuousClock.Instant) throws(WireError) {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { throw .timedOut }
            let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let result = poll(&descriptor, 1, Int32(clamping: milliseconds))
            if result > 0 { return }
            if result < 0 && errno != EINTR { throw .system(call: "poll", errno: errno) }
        }
    }
}
