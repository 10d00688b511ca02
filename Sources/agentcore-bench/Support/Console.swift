#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered whole lines on stdout (the table appears as each scenario ends, also through a pipe).
enum Console {
    static func line(_ text: String) {
        var bytes = Array((text + "\n").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// A progress note, indented under the scenario heading.
    static func note(_ text: String) {
        line("   " + text)
    }
}
