import CProcessControl
import PluginNative
import PluginWire
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The child side of process isolation: loads one plugin and serves its calls over the
/// sockets the server passed in, one thread per socket.
///
/// Each socket carries one call at a time (the server's plugin thread that owns it waits for
/// the answer), so a thread's host service requests travel on the socket of the call that made
/// them. The child dies with the server (PR_SET_PDEATHSIG) and exits when any socket closes.
public enum PluginHostProcess {
    /// Runs the child until the server goes away; never returns.
    public static func run(_ options: PluginHostOptions) -> Never {
        _ = ac_process_set_parent_death_signal(SIGKILL)
        // The server may have died between fork and prctl: then the parent is already init.
        if getppid() != options.parentPid { _exit(0) }
        signal(SIGPIPE, SIG_IGN)
        applyLimits(options)

        let channels = (0..<max(1, options.connections)).map { WireChannel(fd: options.firstDescriptor + Int32($0)) }
        let plugin: NativePlugin
        do {
            plugin = try NativePlugin(path: options.path)
        } catch {
            send(.loadFailed(error.message), on: channels[0])
            _exit(0)
        }
        // Threads first: a child that cannot start them (e.g. a tight RLIMIT_AS) reports a load
        // failure instead of dying on every call.
        let server = ChildCallServer(plugin: plugin)
        for channel in channels.dropFirst() {
            if let failure = startThread({ server.serve(channel) }) {
                send(.loadFailed("plugin host cannot start its threads (\(failure)); raise --plugin-memory-limit-mb"), on: channels[0])
                _exit(0)
            }
        }
        send(.ready(plugin.descriptor), on: channels[0])
        server.serve(channels[0])
    }

    private static func applyLimits(_ options: PluginHostOptions) {
        if options.memoryLimitBytes > 0 {
            var limit = rlimit(rlim_cur: rlim_t(options.memoryLimitBytes), rlim_max: rlim_t(options.memoryLimitBytes))
            if setrlimit(Int32(RLIMIT_AS.rawValue), &limit) != 0 { report("setrlimit(RLIMIT_AS) failed: errno \(errno)") }
        }
        if options.cpuSeconds > 0 {
            var limit = rlimit(rlim_cur: rlim_t(options.cpuSeconds), rlim_max: rlim_t(options.cpuSeconds + 1))
            if setrlimit(Int32(RLIMIT_CPU.rawValue), &limit) != 0 { report("setrlimit(RLIMIT_CPU) failed: errno \(errno)") }
        }
    }

    static func send(_ message: ChildMessage, on channel: WireChannel) {
        let (kind, payload) = message.encoded()
        do {
            try channel.send(kind: kind, payload: payload)
        } catch {
            // The server is gone: nothing left to serve.
            _exit(0)
        }
    }

    /// A line on stderr, which the server logs tagged with the plugin id.
    static func report(_ line: String) {
        var text = "agentcore plugin-host: " + line + "\n"
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    /// Starts a detached thread with an 8 MiB stack (plugin code may recurse).
    /// - Returns: nil, or why the thread could not start.
    static func startThread(_ body: @escaping @Sendable () -> Void) -> String? {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let result = pthread_create(&thread, &attributes, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return "pthread_create failed with error \(result)"
        }
        return nil
    }
}
