import AgentCoreJSON
import Foundation
import Synchronization
import Testing

/// The server watches its plugins directory: a dropped `.so` is loaded, a replaced one is
/// swapped in while calls keep flowing, a removed one is unloaded, and a file that fails
/// validation or is still being written never displaces the running version.
@Suite("Hot reload of the plugins directory")
struct HotReloadTests {
    /// What one `/query` call of a load client saw.
    private struct QueryOutcome: Sendable {
        let client: Int
        let httpStatus: Int?
        let pluginStatus: String?
        let version: String?
        /// The body or the transport error, kept for the failure message.
        let detail: String

        var succeeded: Bool { httpStatus == 200 && pluginStatus == "ok" && version != nil }
    }

    /// Set once any load client has been answered by the new version.
    private final class NewVersionSeen: Sendable {
        private let seen = Atomic<Bool>(false)
        var value: Bool { seen.load(ordering: .relaxed) }
        func set() { seen.store(true, ordering: .relaxed) }
    }

    private static let privateCopies = "/plugin-copies/versioned-"

    private static func namespace(_ namespace: String, with pluginIds: [String], api: APIClient) async throws {
        try await api.createNamespace(namespace)
        for pluginId in pluginIds {
            let response = try await api.post("/api/v1/namespaces/\(namespace)/plugins/\(pluginId)", [:])
            guard response.status == 201 else { throw APIClient.UnexpectedResponse(response: response) }
        }
    }

    /// The `versioned-*.so` private copies left in the server's data directory.
    private static func privateCopyFiles(of server: ServerProcess) -> [String] {
        let directory = server.dataDirectory.appendingPathComponent("plugin-copies").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("versioned-") && $0.hasSuffix(".so") }.sorted()
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
    private static func eventually(within timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return true }
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Replace

    @Test(arguments: ["process", "inprocess"])
    func replacingAPluginUnderConcurrentQueriesFailsNoRequestAndClosesTheOldVersion(isolation: String) async throws {
        let directory = try TestPluginsDirectory.make()
        defer { directory.remove() }
        try await directory.drop("versioned")
        let newVersion = try await FixtureCompiler.shared.library("versioned", defines: [#"PLUGIN_VERSION="2.0.0""#])
        try await withServer(pluginsDirectory: directory.url, extraArguments: ["--isolate", "versioned=\(isolation)"]) { server, api in
            try await Self.namespace("reload", with: ["versioned"], api: api)
            let first = try await api.query("reload", "which version?")
            #expect(first.result(of: "versioned")?["data"] == ["version": "1.0.0"])
            let serverPid = server.process.processIdentifier
            let oldMapping = ProcessTree.mappedFiles(containing: Self.privateCopies, processAndChildrenOf: serverPid)
            #expect(oldMapping.count == 1)
            #expect(try await api.get("/api/v1/plugins/versioned").json["isolation"]?.stringValue == isolation)

            // Four clients query in a loop for at least 2.5 s, and on until one has seen 2.0.0.
            let sawNewVersion = NewVersionSeen()
            let minimumEnd = ContinuousClock.now + .milliseconds(2500)
            let hardEnd = ContinuousClock.now + .seconds(20)
            async let load: [QueryOutcome] = withTaskGroup(of: [QueryOutcome].self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var outcomes: [QueryOutcome] = []
                        while ContinuousClock.now < hardEnd,
                              ContinuousClock.now < minimumEnd || !sawNewVersion.value {
                            do {
                                let response = try await api.query("reload", "which version?")
                                let result = response.result(of: "versioned")
                                let version = result?["data"]?["version"]?.stringValue
                                if version == "2.0.0" { sawNewVersion.set() }
                                outcomes.append(QueryOutcome(
                                    client: client, httpStatus: response.status, pluginStatus: result?["status"]?.stringValue,
                                    version: version, detail: response.text
                                ))
                            } catch {
                                outcomes.append(QueryOutcome(client: client, httpStatus: nil, pluginStatus: nil, version: nil, detail: "\(error)"))
                            }
                        }
                        return outcomes
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            try await Task.sleep(for: .milliseconds(800))
            try directory.drop(bytes: try Data(contentsOf: newVersion), as: "versioned.so")
            let outcomes = await load

            let failures = outcomes.filter { !$0.succeeded }
            #expect(failures.isEmpty, "\(failures.count) of \(outcomes.count) failed, first: \(failures.first?.detail ?? "")")
            #expect(outcomes.count >= 20, "only \(outcomes.count) requests")
            #expect(Set(outcomes.compactMap(\.version)) == ["1.0.0", "2.0.0"])
            // Once a client has been answered by 2.0.0, the old version never answers it again.
            for client in 0..<4 {
                let versions = outcomes.filter { $0.client == client }.compactMap(\.version)
                let firstNew = versions.firstIndex(of: "2.0.0") ?? versions.endIndex
                #expect(!versions[firstNew...].contains("1.0.0"), "client \(client): \(versions)")
            }

            let shown = try await api.get("/api/v1/plugins/versioned")
            #expect(shown.json["version"] == "2.0.0")
            #expect(shown.json["state"] == "active")
            #expect(shown.json["reloadError"] == nil)
            // The old version drains, then its instances are destroyed and its handle closed.
            let drained = try await Self.eventually { try await api.get("/api/v1/plugins/versioned").json["retiredVersions"] == 0 }
            let retired = try await api.get("/api/v1/plugins/versioned").json["retiredVersions"]
            #expect(drained, "retiredVersions: \(retired ?? .null)")
            // One copy mapped (in the server or its child), and not the old one.
            let unmapped = await Self.eventually {
                let mapped = ProcessTree.mappedFiles(containing: Self.privateCopies, processAndChildrenOf: serverPid)
                return mapped.count == 1 && mapped.isDisjoint(with: oldMapping)
            }
            #expect(unmapped, "still mapped: \(ProcessTree.mappedFiles(containing: Self.privateCopies, processAndChildrenOf: serverPid).sorted())")
            #expect(await Self.eventually { Self.privateCopyFiles(of: server).count == 1 }, "copies: \(Self.privateCopyFiles(of: server))")
            #expect(try await api.query("reload", "which version?").result(of: "versioned")?["data"] == ["version": "2.0.0"])
            #expect(server.output.contains("plugin reloaded"))
        }
    }

    // MARK: Add and remove

    @Test func aPluginDroppedInByAtomicRenameIsLoadedAndAnswersOnceInstalled() async throws {
        try await withPluginsServer(fixtures: ["hello"]) { _, api, directory in
            try await Self.namespace("added", with: ["hello"], api: api)
            #expect(try await api.post("/api/v1/namespaces/added/plugins/versioned", [:]).status == 404)

            try await directory.drop("versioned", as: "new-plugin.so")
            let entries = try await api.waitForCatalog("versioned loaded") { $0.plugin("versioned") != nil }
            let added = try #require(entries.plugin("versioned"))
            #expect(added["version"] == "1.0.0")
            #expect(added["state"] == "active")
            #expect(added["isolation"] == "process")
            #expect(added["source"] == "directory")
            #expect(entries.failedFile("new-plugin.so") == nil)

            #expect(try await api.post("/api/v1/namespaces/added/plugins/versioned", [:]).status == 201)
            let response = try await api.query("added", "hi")
            #expect(response.resultPluginIds == ["hello", "versioned"])
            #expect(response.result(of: "versioned")?["status"] == "ok")
            #expect(response.result(of: "versioned")?["data"] == ["version": "1.0.0"])
        }
    }

    @Test func aRemovedFileUnloadsItsPluginFromTheCatalogAndFromQueries() async throws {
        try await withPluginsServer(fixtures: ["hello", "versioned"]) { server, api, directory in
            try await Self.namespace("removed", with: ["hello", "versioned"], api: api)
            #expect(try await api.query("removed", "hi").resultPluginIds == ["hello", "versioned"])

            try directory.delete("versioned.so")
            try await api.waitForCatalog("versioned unloaded") { $0.plugin("versioned") == nil }
            #expect(try await api.get("/api/v1/plugins/versioned").status == 404)
            let response = try await api.query("removed", "hi")
            #expect(response.status == 200)
            #expect(response.resultPluginIds == ["hello"])
            #expect(response.result(of: "hello")?["status"] == "ok")
            // Its private copy goes with it, and no process has it mapped any more.
            #expect(await Self.eventually { Self.privateCopyFiles(of: server).isEmpty }, "copies: \(Self.privateCopyFiles(of: server))")
            #expect(ProcessTree.mappedFiles(containing: Self.privateCopies, processAndChildrenOf: server.process.processIdentifier).isEmpty)
        }
    }

    // MARK: Refused and partial files

    @Test func aBrokenReplacementLeavesTheOldVersionServingAndIsReported() async throws {
        try await withPluginsServer(fixtures: ["versioned"]) { _, api, directory in
            try await Self.namespace("broken", with: ["versioned"], api: api)
            #expect(try await api.query("broken", "hi").result(of: "versioned")?["data"] == ["version": "1.0.0"])

            try await directory.drop("versioned", as: "versioned.so", defines: ["BROKEN"])
            let entries = try await api.waitForCatalog("versioned with a reloadError") { $0.plugin("versioned")?["reloadError"] != nil }
            let serving = try #require(entries.plugin("versioned"))
            #expect(serving["version"] == "1.0.0")
            #expect(serving["state"] == "active")
            #expect(serving["reloadError"] == "ac_plugin_entry returned NULL (the plugin refused to load)")
            // The refused file is the serving plugin's reloadError, not a separate failed entry.
            #expect(entries.failedFile("versioned.so") == nil)

            let response = try await api.query("broken", "hi")
            #expect(response.result(of: "versioned")?["status"] == "ok")
            #expect(response.result(of: "versioned")?["data"] == ["version": "1.0.0"])
        }
    }

    @Test func aFileWrittenInTwoHalvesIsLoadedOnlyOnceComplete() async throws {
        try await withPluginsServer(fixtures: ["hello"]) { server, api, directory in
            try await directory.writeInTwoHalves("versioned", as: "slow-copy.so", pause: .milliseconds(100))
            let entries = try await api.waitForCatalog("versioned loaded") { $0.plugin("versioned") != nil }
            #expect(entries.plugin("versioned")?["version"] == "1.0.0")
            #expect(entries.plugin("versioned")?["reloadError"] == nil)
            #expect(entries.failedFile("slow-copy.so") == nil)
            // The half-written file was never tried (no refusal was logged, even one fixed since).
            let refusals = server.output.split(separator: "\n").filter { $0.contains("slow-copy.so") && !$0.contains("plugin loaded") }
            #expect(refusals.isEmpty, "\(refusals)")

            try await Self.namespace("slow", with: ["versioned"], api: api)
            #expect(try await api.query("slow", "hi").result(of: "versioned")?["data"] == ["version": "1.0.0"])
        }
    }
}
