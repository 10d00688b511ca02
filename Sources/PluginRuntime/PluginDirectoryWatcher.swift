import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Watches the plugin directories and hot-loads, reloads and unloads their plugins.
///
/// inotify events (create, write, move, delete, attribute changes) wake a scan at once; a scan
/// also runs every `interval`, which is all there is where inotify is unavailable. A scan
/// compares each `*.so` file's signature (inode, size, mtime, mode, owner) with the one last
/// loaded or refused. A changed file is loaded only once its signature has stayed the same
/// for `stabilityDelay`, so a file still being copied in is never loaded half-written; an
/// atomic rename into the directory is seen complete at once.
final class PluginDirectoryWatcher: Sendable {
    private struct Pending {
        var signature: FileSignature
        var since: ContinuousClock.Instant
    }

    private weak let runtime: PluginRuntime?
    private let directories: [String]
    private let interval: Duration
    private let stabilityDelay: Duration
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let pending = Mutex<[String: Pending]>([:])

    init(runtime: PluginRuntime, directories: [String], interval: Duration, stabilityDelay: Duration, logger: Logger) {
        self.runtime = runtime
        self.directories = directories
        self.interval = interval
        self.stabilityDelay = stabilityDelay
        self.logger = logger
    }

    /// The signatures of every `*.so` in `directories`.
    static func signatures(of directories: [String], loader: PluginLoader) -> [String: FileSignature] {
        var signatures: [String: FileSignature] = [:]
        for directory in directories {
            for path in loader.directoryFiles(directory) {
                if let signature = FileSignature(path: path) { signatures[path] = signature }
            }
        }
        return signatures
    }

    /// Starts the watch thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "plugin-directory-watcher"
        thread.start()
    }

    /// Ends the watch thread at its next wake-up; no load starts after this returns.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    private func run() {
        let notify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        if notify >= 0 {
            let mask = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | IN_MODIFY)
            for directory in directories where inotify_add_watch(notify, directory, mask) < 0 {
                logger.warning("cannot watch plugin directory with inotify; polling it", metadata: ["directory": "\(directory)", "errno": "\(errno)"])
            }
        } else {
            logger.warning("inotify unavailable; polling the plugin directories", metadata: ["errno": "\(errno)"])
        }
        defer { if notify >= 0 { close(notify) } }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let wait = pending.withLock { $0.isEmpty } ? interval : stabilityDelay
            let milliseconds = Int32(clamping: wait.wholeMilliseconds)
            if notify >= 0 {
                var descriptor = pollfd(fd: notify, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, milliseconds) > 0 {
                    // The events only wake the scan; their content is not needed.
                    while buffer.withUnsafeMutableBytes({ read(notify, $0.baseAddress, $0.count) }) > 0 {}
                }
            } else {
                usleep(UInt32(milliseconds) * 1000)
            }
            if stopped.load(ordering: .sequentiallyConsistent) { break }
            scan()
        }
    }

    /// Compares the directories with what is loaded and applies the differences.
    func scan() {
        guard let runtime else { return }
        let current = Self.signatures(of: directories, loader: runtime.makeLoader())
        let known = runtime.catalog.withLock { $0.signatures }
        let now = ContinuousClock.now
        var ready: [(String, FileSignature)] = []
        pending.withLock { pending in
            pending = pending.filter { current[$0.key] != nil }
            for (path, signature) in current where known[path] != signature {
                if let waiting = pending[path], waiting.signature == signature {
                    if waiting.since.duration(to: now) >= stabilityDelay {
                        ready.append((path, signature))
                        pending[path] = nil
                    }
                } else {
                    pending[path] = Pending(signature: signature, since: now)
                }
            }
        }
        for (path, signature) in ready.sorted(by: { $0.0 < $1.0 }) {
            guard !stopped.load(ordering: .sequentiallyConsistent) else { return }
            runtime.reloadDirectoryFile(path, signature: signature)
        }
        for path in known.keys where current[path] == nil {
            guard !stopped.load(ordering: .sequentiallyConsistent) else { return }
            runtime.unloadDirectoryFile(path)
        }
    }
}
