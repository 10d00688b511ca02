#if canImport(Glibc)
import Glibc
#endif

/// Blocking `GET /healthz` on 127.0.0.1, retried every 1 ms: finds the moment a starting server answers.
///
/// Plain sockets on the calling thread, so the probe itself adds no event loop or pool to the timing.
enum HealthProbe {
    /// Polls until `/healthz` answers 200; the monotonic time of that answer, or nil at the deadline.
    static func waitUntilHealthy(port: Int, deadlineNanoseconds: UInt64) -> UInt64? {
        while MonotonicClock.nanoseconds() < deadlineNanoseconds {
            if healthy(port: port) { return MonotonicClock.nanoseconds() }
            usleep(1_000)
        }
        return nil
    }

    static func healthy(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return false }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += buffer[0..<count]
            if response.count >= 12 { break }
        }
        return String(decoding: response.prefix(12), as: UTF8.self).hasPrefix("HTTP/1.1 200")
    }

    /// A port that was free a moment ago (bound to 0, read back, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw BenchError("cannot bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
