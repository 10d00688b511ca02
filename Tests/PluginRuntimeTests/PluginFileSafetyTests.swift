import Foundation
import PluginRuntime
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The plugins directory's safety rules, on real files, modes, owners and symlinks in a temporary directory.
@Suite("Plugin file safety")
final class PluginFileSafetyTests {
    /// The plugins directory (mode 0755), inside a parent that also holds files outside it.
    let parent: String
    let directory: String

    init() throws {
        parent = FileManager.default.temporaryDirectory
            .appendingPathComponent("agentcore-safety-\(UUID().uuidString)", isDirectory: true).path
        directory = parent + "/plugins"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.chmod(parent, 0o755)
        try Self.chmod(directory, 0o755)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: parent)
    }

    /// Writes a file with `mode` (set explicitly, whatever the umask) and returns its path.
    @discardableResult
    private func file(_ name: String, in folder: String? = nil, mode: mode_t = 0o644) throws -> String {
        let path = (folder ?? directory) + "/" + name
        try Data("\u{7F}ELF".utf8).write(to: URL(fileURLWithPath: path))
        try Self.chmod(path, mode)
        return path
    }

    private func symlink(_ name: String, to target: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        return path
    }

    private static func chmod(_ path: String, _ mode: mode_t) throws {
        guard Glibc.chmod(path, mode) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
    }

    /// The refusal `check` throws, or nil when it accepts the file.
    private func verdict(_ path: String, effectiveUserId: uid_t = geteuid()) -> PluginFileRefusal? {
        do {
            _ = try PluginFileSafety.check(file: path, inDirectory: directory, effectiveUserId: effectiveUserId)
            return nil
        } catch {
            return error
        }
    }

    @Test func aRegularFileOfTheServersUserIsAcceptedAtItsRealPath() throws {
        let path = try file("good.so")
        let real = try PluginFileSafety.check(file: path, inDirectory: directory)
        #expect(real == URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
    }

    @Test func aWorldWritableFileIsRefused() throws {
        let path = try file("open.so", mode: 0o666)
        let refused = try #require(verdict(path))
        #expect(refused.reason == .worldWritable)
        #expect(refused.path == path)
        #expect(refused.message.contains("world-writable (mode 0666)"))
        #expect(refused.message.contains(path))
    }

    @Test func aGroupWritableFileIsAccepted() throws {
        #expect(verdict(try file("group.so", mode: 0o664)) == nil)
    }

    @Test func aFileOwnedByNeitherTheServersUserNorRootIsRefused() throws {
        let path = try file("foreign.so")
        let refusal: PluginFileRefusal?
        if geteuid() == 0 {
            // As root the file can really belong to someone else.
            #expect(chown(path, 12345, 12345) == 0)
            refusal = verdict(path)
        } else {
            // Otherwise the file is ours: judge it for a server running as another user.
            refusal = verdict(path, effectiveUserId: geteuid() + 1)
        }
        let found = try #require(refusal)
        #expect(found.reason == .foreignOwner)
        #expect(found.message.contains("neither the server's user"))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to have a file owned by root"))
    func aFileOwnedByRootIsAcceptedWhateverTheServersUser() throws {
        let path = try file("root.so")
        #expect(verdict(path, effectiveUserId: 4242) == nil)
    }

    @Test func aSymlinkToAFileInsideTheDirectoryIsAcceptedAndResolved() throws {
        try FileManager.default.createDirectory(atPath: directory + "/versions", withIntermediateDirectories: false)
        let target = try file("real-1.0.so", in: directory + "/versions")
        let link = try symlink("current.so", to: "versions/real-1.0.so")
        let real = try PluginFileSafety.check(file: link, inDirectory: directory)
        #expect(real == URL(fileURLWithPath: target).resolvingSymlinksInPath().path)
    }

    @Test func aSymlinkLeadingOutsideTheDirectoryIsRefused() throws {
        let outside = try file("elsewhere.so", in: parent)
        let link = try symlink("escape.so", to: outside)
        let refused = try #require(verdict(link))
        #expect(refused.reason == .outsideDirectory)
        #expect(refused.message.contains("symlink"))
        #expect(refused.message.contains("outside the plugins directory"))
    }

    @Test func aRelativeSymlinkClimbingOutOfTheDirectoryIsRefused() throws {
        try file("sibling.so", in: parent)
        let link = try symlink("climb.so", to: "../sibling.so")
        #expect(verdict(link)?.reason == .outsideDirectory)
    }

    @Test func aDanglingSymlinkIsRefused() throws {
        let link = try symlink("dangling.so", to: "missing.so")
        let refused = try #require(verdict(link))
        #expect(refused.reason == .unresolvable)
        #expect(refused.message.contains("symlink"))
    }

    @Test func aSymlinkToAWorldWritableFileIsRefusedForTheTarget() throws {
        try file("target.so", mode: 0o646)
        let link = try symlink("alias.so", to: "target.so")
        let refused = try #require(verdict(link))
        #expect(refused.reason == .worldWritable)
        #expect(refused.message.contains("a symlink to"))
    }

    @Test func aDirectoryIsNotARegularFile() throws {
        let path = directory + "/folder.so"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let refused = try #require(verdict(path))
        #expect(refused.reason == .notRegularFile)
        #expect(refused.message.contains("a directory, not a regular file"))
    }

    @Test func aFIFOIsNotARegularFile() throws {
        let path = directory + "/pipe.so"
        #expect(mkfifo(path, 0o644) == 0)
        #expect(verdict(path)?.reason == .notRegularFile)
    }

    @Test func aWorldWritableDirectoryWithoutTheStickyBitRefusesEveryFile() throws {
        let path = try file("good.so")
        try Self.chmod(directory, 0o777)
        let refused = try #require(verdict(path))
        #expect(refused.reason == .directoryWorldWritable)
        #expect(refused.message.contains("world-writable without the sticky bit"))
    }

    @Test func aWorldWritableDirectoryWithTheStickyBitIsAccepted() throws {
        let path = try file("good.so")
        try Self.chmod(directory, 0o1777)
        #expect(verdict(path) == nil)
    }

    @Test func aMissingFileIsUnresolvable() throws {
        #expect(verdict(directory + "/nothing.so")?.reason == .unresolvable)
    }
}
