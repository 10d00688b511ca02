#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What identifies one state of a plugin file: a change in any of these is a new version
/// (symlinks followed, so a retargeted link counts too).
struct FileSignature: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int
    let mode: UInt32
    let owner: UInt32

    /// The file's signature, or nil when it cannot be stat'ed (removed meanwhile).
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedSeconds = Int(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int(status.st_mtim.tv_nsec)
        mode = UInt32(status.st_mode)
        owner = UInt32(status.st_uid)
    }
}
