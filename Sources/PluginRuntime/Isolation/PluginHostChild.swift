import CProcessControl
import Foundation
import Logging
import PluginNative
import PluginWire
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One running `agentcore plugin-host` child: its pid, its sockets, and how it ended.
///
/// Two threads watch it: one forwards its stdout/stderr to the server log tagged with the
/// plugin id, one waits for its exit (so it is always reaped) and reports it to `onExit`.
final class PluginHostChild: Sendable {
    /// Why the server killed a child itself.
    enum KillReason: Sendable, Hashable {
        case timeout
        case protocolError
        case stopping
    }

    private struct State {
        var freeChannels: [Int]
        var killReason: KillReason?
        var exit: ProcessExitStatus?
    }

    let pid: pid_t
    let generation: UInt64
    private let channels: [WireChannel]
    private let state: Mutex<State>
    private let exited = NSCondition()

    private init(pid: pid_t, generation: UInt64, channels: [WireChannel]) {
        self.pid = pid
        self.generation = generation
        self.channels = channels
        state = Mutex(State(freeChannels: Array(channels.indices)))
    }

    /// Starts a child for the plugin file at `path` and waits for its load report.
    /// - Returns: the child and the plugin's descriptor.
    /// - Throws: `PluginHostError` when the process cannot start, the plugin refuses to load
    ///   (the loader's message), or the child dies or stays silent past `deadline`.
    static func spawn(
        path: String, connections: Int, settings: PluginHostSettings, generation: UInt64,
        pluginLabel: String, logger: Logger, deadline: ContinuousClock.Instant,
        onExit: @escaping @Sendable (PluginHostChild, ProcessExitStatus, KillReason?) -> Void
    ) throws(PluginHostError) -> (PluginHostChild, NativeDescriptor) {
        guard let executable = settings.command.first else { throw .cannotStart("no plugin-host command configured") }
        let count = max(1, connections)
        // Child ends are moved above the fds they will be dup2'ed onto, so no dup2 overwrites
        // a source still needed.
        let floor = Int32(3 + count + 16)
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        func closeAll() {
            for fd in parentEnds + childEnds { close(fd) }
        }
        for _ in 0..<count {
            var pair: [Int32] = [0, 0]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
                closeAll()
                throw .cannotStart("socketpair failed: errno \(errno)")
            }
            parentEnds.append(pair[0])
            let high = fcntl(pair[1], F_DUPFD_CLOEXEC, floor)
            close(pair[1])
            guard high >= 0 else {
                closeAll()
                throw .cannotStart("fcntl(F_DUPFD_CLOEXEC) failed: errno \(errno)")
            }
            childEnds.append(high)
        }
        // A socket pair rather than a pipe: it can be created close-on-exec atomically, so no
        // child spawned meanwhile by another thread inherits the write end.
        var output: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &output) == 0 else {
            closeAll()
            throw .cannotStart("socketpair failed: errno \(errno)")
        }
        let outputWrite = fcntl(output[1], F_DUPFD_CLOEXEC, floor)
        close(output[1])
        let outputRead = output[0]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, outputWrite, 2)
        for (index, fd) in childEnds.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, 3 + Int32(index))
        }
        // Every other descriptor of the server stays out of the child, including ones opened
        // without O_CLOEXEC (a pipe a library made): plugin code must not reach the server's
        // files and sockets, and a pipe end held by a long-lived child would keep its reader
        // from ever seeing end-of-file.
        _ = ac_spawn_actions_close_from(&actions, 3 + Int32(childEnds.count))
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let arguments = settings.command + [
            "--first-fd", "3", "--connections", "\(count)", "--parent-pid", "\(getpid())",
            "--memory-limit-bytes", "\(settings.memoryLimitBytes)", "--cpu-seconds", "\(settings.cpuSeconds)", path,
        ]
        var environment = ProcessInfo.processInfo.environment
        // glibc reserves 64 MiB of address space per malloc arena; with one arena per thread a
        // child would hit its RLIMIT_AS from reservations alone.
        environment["MALLOC_ARENA_MAX"] = "2"
        // The Swift runtime's crash handler would catch a plugin's SIGSEGV and spend seconds
        // symbolicating; the server reports the signal itself.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        let argvBox = UnsafeSendable(argv), envpBox = UnsafeSendable(envp)
        let (spawned, pid): (Int32, pid_t) = withUnsafePointer(to: &actions) { actionsPointer in
            withUnsafePointer(to: &attributes) { attributesPointer in
                let actionsBox = UnsafeSendable(actionsPointer), attributesBox = UnsafeSendable(attributesPointer)
                return SpawnThread.shared.run {
                    var pid: pid_t = 0
                    let status = posix_spawn(&pid, executable, actionsBox.value, attributesBox.value, argvBox.value, envpBox.value)
                    return (status, pid)
                }
            }
        }
        for fd in childEnds { close(fd) }
        childEnds = []
        close(outputWrite)
        guard spawned == 0 else {
            closeAll()
            close(outputRead)
            throw .cannotStart("posix_spawn \(executable) failed: \(String(cString: strerror(spawned)))")
        }

        let child = PluginHostChild(pid: pid, generation: generation, channels: parentEnds.map { WireChannel(fd: $0) })
        parentEnds = []
        child.startOutputForwarding(fd: outputRead, pluginLabel: pluginLabel, logger: logger)
        child.startExitWatch(onExit: onExit)

        // The load report arrives on the first socket.
        let report: ChildMessage
        do throws(WireError) {
            let frame = try child.channels[0].receive(deadline: deadline)
            report = try ChildMessage(kind: frame.kind, payload: frame.payload)
        } catch .timedOut {
            child.kill(.timeout)
            throw .loadTimedOut
        } catch {
            let status = child.waitForExit(upTo: .seconds(2))
            throw .diedWhileLoading(status.map(\.description) ?? "closed its socket (\(error))")
        }
        switch report {
        case .ready(let descriptor):
            return (child, descriptor)
        case .loadFailed(let message):
            _ = child.waitForExit(upTo: .seconds(2))
            throw .loadFailed(message)
        default:
            child.kill(.protocolError)
            throw .diedWhileLoading("sent an unexpected first frame")
        }
    }

    /// Takes a socket for one call; nil when the child is dead or every socket is in use.
    func takeChannel() -> (index: Int, channel: WireChannel)? {
        state.withLock { state in
            guard state.exit == nil, state.killReason == nil, let index = state.freeChannels.popLast() else { return nil }
            return (index, channels[index])
        }
    }

    func returnChannel(_ index: Int) {
        state.withLock { $0.freeChannels.append(index) }
    }

    /// SIGKILLs the child (once it has not been reaped); the first reason is the one reported.
    func kill(_ reason: KillReason) {
        let send = state.withLock { state in
            if state.killReason == nil { state.killReason = reason }
            return state.exit == nil
        }
        // Safe from pid reuse: the watch thread reaps the pid only after recording `exit`.
        if send { _ = Glibc.kill(pid, SIGKILL) }
    }

    var killReason: KillReason? { state.withLock { $0.killReason } }

    /// Waits for the exit watch to reap the child; SIGKILLs it if it is still alive after `upTo`.
    func waitForExit(upTo limit: Duration) -> ProcessExitStatus? {
        let deadline = Date().addingTimeInterval(Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18)
        exited.lock()
        defer { exited.unlock() }
        while state.withLock({ $0.exit }) == nil {
            if !exited.wait(until: deadline) {
                exited.unlock()
                kill(.protocolError)
                exited.lock()
                while state.withLock({ $0.exit }) == nil { exited.wait() }
            }
        }
        return state.withLock { $0.exit }
    }

    private func startOutputForwarding(fd: Int32, pluginLabel: String, logger: Logger) {
        let thread = Thread {
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    logger.warning("plugin output: \(line)", metadata: ["pluginId": "\(pluginLabel)", "pid": "\(self.pid)"])
                }
            }
            if !pending.isEmpty {
                logger.warning("plugin output: \(String(decoding: pending, as: UTF8.self))", metadata: ["pluginId": "\(pluginLabel)"])
            }
        }
        thread.name = "plugin-host-output-\(pluginLabel)"
        thread.start()
    }

    private func startExitWatch(onExit: @escaping @Sendable (PluginHostChild, ProcessExitStatus, KillReason?) -> Void) {
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let exit = ProcessExitStatus(waitStatus: status)
            let reason: KillReason? = state.withLock { state in
                state.exit = exit
                return state.killReason
            }
            for channel in channels { channel.shutdown() }
            // The supervisor forgets the child before waiting calls wake, so none of them
            // picks the dead child again.
            onExit(self, exit, reason)
            exited.lock()
            exited.broadcast()
            exited.unlock()
        }
        thread.name = "plugin-host-wait-\(pid)"
        thread.start()
    }
}

/// Why a plugin-host child could not be used.
enum PluginHostError: Error, Sendable, CustomStringConvertible {
    case cannotStart(String)
    case loadFailed(String)
    case loadTimedOut
    case diedWhileLoading(String)

    var description: String {
        switch self {
        case .cannotStart(let message): "plugin host did not start: \(message)"
        case .loadFailed(let message): message
        case .loadTimedOut: "plugin host did not report within the call timeout"
        case .diedWhileLoading(let how): "plugin host died while loading the plugin: \(how)"
        }
    }
}

/// Carries a pointer to the spawn thread, which uses it while the owner waits.
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
