import Foundation

/// Creates a plugin project from one of the SDK's templates (PluginSDK/template/c or /swift),
/// with the plugin's name filled in and the SDK referenced by absolute path.
struct PluginScaffold {
    enum Language: String, CaseIterable, Sendable {
        case c, swift
    }

    /// The template's placeholders, replaced in file contents and paths.
    private static let templateId = "my-plugin"
    private static let templateTypeName = "MyPlugin"
    /// How the templates reach the SDK from inside the source tree (PluginSDK/template/LANG).
    private static let templateSDKPath = "../.."
    private static let templateSDKPackage = #"package: "PluginSDK""#
    /// Build output a template folder may hold after someone built it in place.
    private static let skippedNames: Set<String> = [".build", ".swiftpm", "Package.resolved", ".DS_Store"]
    private static let skippedExtensions: Set<String> = ["so", "o", "dylib"]

    let name: String
    let language: Language
    /// The PluginSDK folder, absolute.
    let sdkDirectory: URL

    /// True for a valid plugin id: `[a-z0-9][a-z0-9-]*`, at most 64 bytes (agentcore_plugin.h).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64 else { return false }
        func allowed(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return allowed(first) && name.utf8.allSatisfy { allowed($0) || $0 == UInt8(ascii: "-") }
    }

    /// The Swift type and target name for a plugin id: "acme-crm" → "AcmeCrm", "2fa" → "Plugin2fa".
    static func typeName(for name: String) -> String {
        let words = name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let joined = words.joined()
        return joined.first?.isLetter == true ? joined : "Plugin" + joined
    }

    /// Finds the PluginSDK folder: `explicit` (--sdk-dir), then `AGENTCORE_SDK_DIR`, then a
    /// `PluginSDK` folder in the executable's directory or any parent, then the source tree this
    /// command was built from.
    /// - Throws: `PluginScaffoldError` naming the places searched.
    static func locateSDK(explicit: String?, environment: [String: String], executable: URL?, sourceFile: String = #filePath) throws(PluginScaffoldError) -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL
            guard isSDK(url) else { throw .notAnSDK(url.path, origin: "--sdk-dir") }
            return url
        }
        if let fromEnvironment = environment["AGENTCORE_SDK_DIR"], !fromEnvironment.isEmpty {
            let url = URL(fileURLWithPath: fromEnvironment).standardizedFileURL
            guard isSDK(url) else { throw .notAnSDK(url.path, origin: "AGENTCORE_SDK_DIR") }
            return url
        }
        var searched: [String] = []
        if let executable {
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                let candidate = directory.appendingPathComponent("PluginSDK")
                if isSDK(candidate) { return candidate.standardizedFileURL }
                searched.append(directory.path)
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        // Sources/agentcore/<this file> → the package root.
        let sourceRoot = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fromSource = sourceRoot.appendingPathComponent("PluginSDK")
        if isSDK(fromSource) { return fromSource.standardizedFileURL }
        if !searched.contains(sourceRoot.path) { searched.append(sourceRoot.path) }
        throw .sdkNotFound(searched: searched)
    }

    private static func isSDK(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("include/agentcore_plugin.h").path)
    }

    /// Copies the template into `destination`, which must not exist or be an empty directory.
    /// - Returns: the paths created, relative to `destination`, sorted.
    /// - Throws: `PluginScaffoldError` when the name is invalid, the destination is taken, the
    ///   template is missing or a file cannot be written.
    @discardableResult
    func create(at destination: URL) throws(PluginScaffoldError) -> [String] {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        let fileManager = FileManager.default
        let template = sdkDirectory.appendingPathComponent("template").appendingPathComponent(language.rawValue)
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: template.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .templateMissing(template.path)
        }
        if fileManager.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
            let contents = (try? fileManager.contentsOfDirectory(atPath: destination.path)) ?? []
            guard isDirectory.boolValue, contents.isEmpty else { throw .destinationExists(destination.path) }
        }

        let files = templateFiles(in: template)
        guard !files.isEmpty else { throw .templateMissing(template.path) }
        var created: [String] = []
        do {
            for relativePath in files {
                let source = template.appendingPathComponent(relativePath)
                let targetPath = relativePath.replacingOccurrences(of: Self.templateTypeName, with: Self.typeName(for: name))
                let target = destination.appendingPathComponent(targetPath)
                try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                let text = try String(contentsOf: source, encoding: .utf8)
                try fill(text).write(to: target, atomically: true, encoding: .utf8)
                created.append(targetPath)
            }
        } catch {
            throw .writeFailed(destination.path, reason: "\(error)")
        }
        return created.sorted()
    }

    /// The template's text with the name and the SDK's absolute path filled in.
    private func fill(_ text: String) -> String {
        let sdkPath = sdkDirectory.standardizedFileURL.path
        return text
            .replacingOccurrences(of: Self.templateSDKPackage, with: #"package: "\#(sdkDirectory.lastPathComponent)""#)
            .replacingOccurrences(of: Self.templateSDKPath, with: sdkPath)
            .replacingOccurrences(of: Self.templateId, with: name)
            .replacingOccurrences(of: Self.templateTypeName, with: Self.typeName(for: name))
    }

    /// Relative paths of the template's files, build output left out.
    private func templateFiles(in template: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(
            at: template, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else { return [] }
        var files: [String] = []
        let base = template.standardizedFileURL.path
        for case let url as URL in enumerator {
            let name = url.lastPathComponent
            if Self.skippedNames.contains(name) {
                enumerator.skipDescendants()
                continue
            }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  !Self.skippedExtensions.contains(url.pathExtension)
            else { continue }
            let path = url.standardizedFileURL.path
            files.append(String(path.dropFirst(base.count + 1)))
        }
        return files.sorted()
    }
}

/// Why `agentcore plugin new` could not create the project.
struct PluginScaffoldError: Error, CustomStringConvertible {
    private enum Code {
        case invalidName(String)
        case notAnSDK(String, origin: String)
        case sdkNotFound([String])
        case templateMissing(String)
        case destinationExists(String)
        case writeFailed(String, String)
    }

    private let code: Code

    static func invalidName(_ name: String) -> Self { Self(code: .invalidName(name)) }
    static func notAnSDK(_ path: String, origin: String) -> Self { Self(code: .notAnSDK(path, origin: origin)) }
    static func sdkNotFound(searched: [String]) -> Self { Self(code: .sdkNotFound(searched)) }
    static func templateMissing(_ path: String) -> Self { Self(code: .templateMissing(path)) }
    static func destinationExists(_ path: String) -> Self { Self(code: .destinationExists(path)) }
    static func writeFailed(_ path: String, reason: String) -> Self { Self(code: .writeFailed(path, reason)) }

    var description: String {
        switch code {
        case .invalidName(let name):
            "invalid plugin name '\(name)': use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters"
        case .notAnSDK(let path, let origin):
            "\(origin) \(path) is not the agentcore PluginSDK folder (no include/agentcore_plugin.h)"
        case .sdkNotFound(let searched):
            "PluginSDK not found (searched for PluginSDK/include/agentcore_plugin.h in \(searched.joined(separator: ", "))); pass --sdk-dir or set AGENTCORE_SDK_DIR"
        case .templateMissing(let path):
            "template folder \(path) is missing or empty"
        case .destinationExists(let path):
            "\(path) already exists and is not an empty directory; choose another --dir"
        case .writeFailed(let path, let reason):
            "could not write the plugin into \(path): \(reason)"
        }
    }
}
