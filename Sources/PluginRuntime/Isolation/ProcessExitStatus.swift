#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How a child process ended, decoded from `waitpid`'s status.
enum ProcessExitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(code: Int32)
    case signaled(Int32)

    /// Decodes a wait status (the WIFEXITED / WTERMSIG macros, which Swift cannot import).
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited(code: (status >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }

    var description: String {
        switch self {
        case .exited(let code): "exited with code \(code)"
        case .signaled(let signal): "killed by \(Self.name(of: signal)) (signal \(signal))"
        }
    }

    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGILL: "SIGILL"
        case SIGTERM: "SIGTERM"
        case SIGXCPU: "SIGXCPU"
        case SIGTRAP: "SIGTRAP"
        case SIGSYS: "SIGSYS"
        case SIGPIPE: "SIGPIPE"
        case SIGINT: "SIGINT"
        default: "signal \(signal)"
        }
    }
}
