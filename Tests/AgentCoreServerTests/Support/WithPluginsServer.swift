import Foundation

/// Compiles `fixtures` into a fresh plugins directory, starts a server on it, and runs `body`;
/// the server is stopped and the directory removed afterwards.
/// - Parameters:
///   - fixtures: source names of `Tests/Fixtures/plugins` (each becomes `<name>.so`).
///   - extraArguments: more `serve` flags (timeouts, limits, quarantine).
func withPluginsServer<T>(
    fixtures: [String],
    extraArguments: [String] = [],
    _ body: (ServerProcess, APIClient, TestPluginsDirectory) async throws -> T
) async throws -> T {
    let directory = try TestPluginsDirectory.make()
    defer { directory.remove() }
    for fixture in fixtures {
        try await directory.drop(fixture)
    }
    return try await withServer(pluginsDirectory: directory.url, extraArguments: extraArguments) { server, api in
        try await body(server, api, directory)
    }
}
