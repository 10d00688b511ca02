import Foundation

/// The server's data directory (database, master key, development JWT secret).
public enum DataDirectory {
    /// Creates `path` (and its parents) with mode 0700 when missing.
    /// - Throws: The file system's error when it cannot be created.
    public static func prepare(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }
}
