import Foundation

/// Finds `docs/openapi.yaml` for `GET /openapi.yaml`.
public enum OpenAPIDocument {
    /// The document's path relative to the repository root.
    public static let relativePath = "docs/openapi.yaml"

    /// The first `docs/openapi.yaml` found in the executable's directory or one of its parents
    /// (the binary lives in `.build/<config>/` of the checkout), else in the working directory.
    public static func locate(executablePath: String = executablePath()) -> String? {
        var directory = URL(fileURLWithPath: executablePath).deletingLastPathComponent().standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent(relativePath).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath).path
        return FileManager.default.fileExists(atPath: local) ? local : nil
    }

    /// The running executable, resolved through `/proc/self/exe` on Linux.
    public static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return CommandLine.arguments.first ?? "."
    }
}
