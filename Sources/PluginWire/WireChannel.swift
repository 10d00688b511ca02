import CSpinWait
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
    // @unchecked: `fd` and `chunk` are immutable; the inbox is touched only by `receive`, and
    // callers use a channel from one thread at a time (the pool hands it out exclusively);
    // `shutdown` from another thread only calls shutdown(2).
    public let fd: Int32
    /// Frames above this size are refused as malformed (a corrupt length must not allocate gigabytes).
    public static let maxFrameSize = 64 << 20

    /// Bytes received and not yet returned as frames, from `inboxStart` on.
    private var inbox: [UInt8] = []
    private var inboxStart = 0
    /// The buffer each `recv` reads into.
    private let chunk: UnsafeMutableRawPointer
    private static let chunkSize = 64 << 10
    /// An inbox grown past this by a large frame is released once read.
    private static let keptInboxCapacity = 256 << 10

    public init(fd: Int32) {
        self.fd = fd
        chunk = .allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    deinit {
        close(fd)
        chunk.deallocate()
    }

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
    ///
    /// With a `spin` budget the channel first polls the socket without blocking for that long:
    /// an answer that comes back within microseconds (a short plugin call, the next call of a
    /// busy caller) is then read without the thread sleeping and being woken by the kernel.
    public func receive(deadline: ContinuousClock.Instant? = nil, spin: Duration = .zero) throws(WireError) -> (kind: UInt8, payload: [UInt8]) {
        try fill(atLeast: 4, deadline: deadline, spin: spin)
        let length = inbox.withUnsafeBytes { raw in
            Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: inboxStart, as: UInt32.self)))
        }
        guard length >= 1, length <= Self.maxFrameSize else { throw .malformed("frame length \(length)") }
        try fill(atLeast: 4 + length, deadline: deadline, spin: spin)
        let kind = inbox[inboxStart + 4]
        let payload = Array(inbox[(inboxStart + 5)..<(inboxStart + 4 + length)])
        inboxStart += 4 + length
        if inboxStart == inbox.count {
            inbox.removeAll(keepingCapacity: inbox.capacity <= Self.keptInboxCapacity)
            inboxStart = 0
        }
        return (kind, payload)
    }

    /// Reads until the inbox holds `count` unread bytes. A read takes whatever the socket has
    /// (up to `chunkSize`), so a frame's header and body usually arrive in one `recv`.
    private func fill(atLeast count: Int, deadline: ContinuousClock.Instant?, spin: Duration) throws(WireError) {
        var spinLimit: ContinuousClock.Instant? = spin > .zero ? .now + spin : nil
        var polls = 0
        while inbox.count - inboxStart < count {
            if inboxStart > 0 {
                inbox.removeFirst(inboxStart)
                inboxStart = 0
            }
            var flags = Int32(0)
            if let limit = spinLimit {
                if ContinuousClock.now < limit {
                    flags = Int32(MSG_DONTWAIT)
                } else {
                    spinLimit = nil
                }
            }
            if flags == 0, let deadline { try wait(until: deadline) }
            let result = recv(fd, chunk, Self.chunkSize, flags)
            if result == 0 { throw .closed }
            if result < 0 {
                let error = errno
                if error == EAGAIN || error == EWOULDBLOCK {
                    // Nothing yet: after a few tries let the peer (perhaps waiting for this core) run.
                    polls += 1
                    if polls >= 16 { sched_yield() } else { ac_spin_pause() }
                    continue
                }
                if error == EINTR { continue }
                if error == ECONNRESET { throw .closed }
                throw .system(call: "recv", errno: error)
            }
            inbox.append(contentsOf: UnsafeRawBufferPointer(start: chunk, count: result))
        }
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
