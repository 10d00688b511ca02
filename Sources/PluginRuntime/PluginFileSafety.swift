#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#endif

/// The safety rules for a file of the plugins directory, checked before it is loaded.
///
/// A plugin runs with the server's rights, so whoever can change its file controls the server.
/// Refused: a plugins directory writable by everyone without the sticky bit; a file that is
/// writable by everyone, or owned by neither the server's effective user nor root; a symlink
/// (or path) that resolves outside the directory (symlinks inside it are fine); and anything
/// that is not a regular file once resolved. Everything is judged on the resolved file, with
/// `realpath` and `stat`.
///
/// The check and the later `dlopen` are two steps: load the returned real path (a private
/// copy of it, for hot reload) so a symlink swapped in between is not followed.
public enum PluginFileSafety {
    /// Checks one file of a plugins directory.
    /// - Parameters:
    ///   - file: The file, a path inside `directory` (a symlink is resolved).
    ///   - directory: The plugins directory the file must stay in.
    ///   - effectiveUserId: The user allowed to own plugin files besides root; the server's
    ///     effective uid unless a test says otherwise.
    /// - Returns: The file's real path, symlinks resolved: the path to load.
    /// - Throws: ``PluginFileRefusal`` naming the first rule the file (or the directory) breaks.
    public static func check(
        file: String, inDirectory directory: String, effectiveUserId: uid_t = geteuid()
    ) throws(PluginFileRefusal) -> String {
        let realDirectory = try resolve(directory) { errorText throws(PluginFileRefusal) in
            throw PluginFileRefusal(.unresolvable, path: file, message: "cannot check \(file): the plugins directory \(directory) cannot be resolved (\(errorText))")
        }
        let directoryStatus = try status(of: realDirectory, file: file, what: "the plugins directory \(realDirectory)")
        if directoryStatus.st_mode & S_IWOTH != 0, directoryStatus.st_mode & S_ISVTX == 0 {
            throw PluginFileRefusal(
                .directoryWorldWritable, path: file,
                message: "refusing \(file): the plugins directory \(realDirectory) is world-writable without the sticky bit (mode \(octal(directoryStatus.st_mode))), so anyone may replace its plugins; chmod o-w (or +t) it"
            )
        }

        var linkStatus = stat()
        guard lstat(file, &linkStatus) == 0 else {
            let errorText = errorDescription(errno)
            throw PluginFileRefusal(.unresolvable, path: file, message: "cannot check \(file): \(errorText)")
        }
        let isSymlink = linkStatus.st_mode & S_IFMT == S_IFLNK
        let realFile = try resolve(file) { errorText throws(PluginFileRefusal) in
            let message = isSymlink
                ? "refusing \(file): it is a symlink that cannot be resolved (\(errorText))"
                : "cannot check \(file): it cannot be resolved (\(errorText))"
            throw PluginFileRefusal(.unresolvable, path: file, message: message)
        }
        let prefix = realDirectory.hasSuffix("/") ? realDirectory : realDirectory + "/"
        guard realFile.hasPrefix(prefix) else {
            let message = isSymlink
                ? "refusing \(file): it is a symlink to \(realFile), outside the plugins directory \(realDirectory)"
                : "refusing \(file): it resolves to \(realFile), outside the plugins directory \(realDirectory)"
            throw PluginFileRefusal(.outsideDirectory, path: file, message: message)
        }

        let fileStatus = try status(of: realFile, file: file, what: realFile)
        let shown = isSymlink ? "\(file) (a symlink to \(realFile))" : file
        guard fileStatus.st_mode & S_IFMT == S_IFREG else {
            throw PluginFileRefusal(.notRegularFile, path: file, message: "refusing \(shown): it is \(kind(of: fileStatus.st_mode)), not a regular file")
        }
        if fileStatus.st_mode & S_IWOTH != 0 {
            throw PluginFileRefusal(
                .worldWritable, path: file,
                message: "refusing \(shown): it is world-writable (mode \(octal(fileStatus.st_mode))), so anyone may change the code the server runs; chmod o-w it"
            )
        }
        if fileStatus.st_uid != effectiveUserId, fileStatus.st_uid != 0 {
            throw PluginFileRefusal(
                .foreignOwner, path: file,
                message: "refusing \(shown): it is owned by uid \(fileStatus.st_uid), neither the server's user (uid \(effectiveUserId)) nor root; chown it"
            )
        }
        return realFile
    }

    // MARK: Helpers

    /// `realpath(path)`, or `failure` called with the error's text.
    private static func resolve(_ path: String, failure: (String) throws(PluginFileRefusal) -> Never) throws(PluginFileRefusal) -> String {
        guard let resolved = realpath(path, nil) else { try failure(errorDescription(errno)) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func status(of path: String, file: String, what: String) throws(PluginFileRefusal) -> stat {
        var result = stat()
        guard stat(path, &result) == 0 else {
            let errorText = errorDescription(errno)
            throw PluginFileRefusal(.unresolvable, path: file, message: "cannot check \(file): cannot stat \(what) (\(errorText))")
        }
        return result
    }

    private static func errorDescription(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The permission bits as `0755`, sticky/setuid bits included.
    private static func octal(_ mode: mode_t) -> String {
        "0" + String(mode & 0o7777, radix: 8)
    }

    private static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a file"
        }
    }
}
