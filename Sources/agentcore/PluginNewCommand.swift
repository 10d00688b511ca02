import ArgumentParser
import Foundation

/// `agentcore plugin new NAME --lang c|swift [--dir DIR]`: starts a plugin project from the SDK's template.
struct PluginNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a plugin project from the SDK's C or Swift template.",
        discussion: """
            Build the result with one command:
              C:      cd DIR && make                    -> libNAME.so
              Swift:  cd DIR && swift build -c release  -> .build/release/libNAME.so
            then check it with `agentcore plugin check FILE.so`.
            """
    )

    @Argument(help: "The plugin id: lowercase letters, digits and '-', starting with a letter or digit.")
    var name: String

    @Option(help: "The template language: c or swift.")
    var lang: PluginScaffold.Language

    @Option(help: "The directory to create (default: ./NAME). It must not exist, or be empty.")
    var dir: String?

    @Option(name: .customLong("sdk-dir"), help: "The PluginSDK folder (default: $AGENTCORE_SDK_DIR, else found beside the agentcore executable).")
    var sdkDir: String?

    func validate() throws {
        guard PluginScaffold.isValidName(name) else {
            throw ValidationError(PluginScaffoldError.invalidName(name).description)
        }
    }

    func run() async throws {
        let sdk = try PluginScaffold.locateSDK(
            explicit: sdkDir,
            environment: ProcessInfo.processInfo.environment,
            executable: Self.executableURL
        )
        let destination = URL(fileURLWithPath: dir ?? name).standardizedFileURL
        let scaffold = PluginScaffold(name: name, language: lang, sdkDirectory: sdk)
        let files = try scaffold.create(at: destination)
        print("Created the \(lang.rawValue) plugin '\(name)' in \(destination.path) (SDK: \(sdk.path)):")
        for file in files { print("  \(file)") }
        switch lang {
        case .c: print("Build it: cd \(destination.path) && make")
        case .swift: print("Build it: cd \(destination.path) && swift build -c release")
        }
    }

    /// The running executable, symlinks resolved (/proc/self/exe on Linux).
    private static var executableURL: URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL
    }
}

extension PluginScaffold.Language: ExpressibleByArgument {}
