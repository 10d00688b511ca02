import Foundation

/// A private copy of a plugin file, loaded instead of the operator's file and removed when
/// the loaded version is gone.
///
/// dlopen returns the already-loaded image for a path it has seen, so a changed file at the
/// same path would never be re-read; each load therefore opens a copy with a unique name.
/// The copy also keeps a half-replaced original from affecting the running version.
final class PrivatePluginCopy: Sendable {
    let path: String

    /// Copies `source` into `directory` (created 0700 if missing) under a unique name.
    /// - Throws: `PluginLoadError` naming the source when the copy fails.
    init(of source: String, into directory: String) throws(PluginLoadError) {
        let name = (source as NSString).lastPathComponent
        let stem = name.hasSuffix(".so") ? String(name.dropLast(3)) : name
        let target = "\(directory)/\(stem)-\(UUID().uuidString.prefix(8).lowercased()).so"
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
            try FileManager.default.copyItem(atPath: source, toPath: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: target)
        } catch {
            throw PluginLoadError(path: source, reason: "cannot copy the plugin to \(directory): \(error.localizedDescription)")
        }
        path = target
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
