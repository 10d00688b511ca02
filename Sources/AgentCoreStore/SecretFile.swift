import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates files that hold secrets (keys), readable by their owner only.
public enum SecretFile {
    /// Creates `path` with mode 0600 and writes `contents`; fails if the file already exists.
    ///
    /// The mode is set by `open(2)` itself, so the secret is never readable by others, not even briefly.
    /// - Throws: `StoreError.file` carrying the `errno` text when the file cannot be created or written.
    public static func create(atPath path: String, contents: [UInt8]) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .file("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var written = 0
        while written < contents.count {
            let result = contents[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .file("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }
}
