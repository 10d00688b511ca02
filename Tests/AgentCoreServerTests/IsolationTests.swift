import AgentCoreJSON
import Foundation
import Testing

/// Directory plugins run in `agentcore-plugin-host` children: a plugin that crashes, hangs or
/// exhausts its memory becomes that plugin's result in `/query`, while the server and the
/// other plugins carry on; repeated failures quarantine it until an operator lifts that.
@Suite("Process isolation, end to end")
struct IsolationTests {
    /// 16 bytes (hello answers the length), with an EDRPOU code opendatabot knows.
    static let query = "Who is 14360570?"

    /// Installs every plugin of `pluginIds` in a new namespace `namespace` with `{}`.
    private static func namespace(_ namespace: String, with pluginIds: [String], api: APIClient) async throws {
        try await api.createNamespace(namespace)
        for pluginId in pluginIds {
            let response = try await api.post("/api/v1/namespaces/\(namespace)/plugins/\(pluginId)", [:])
            guard response.status == 201 else { throw APIClient.UnexpectedResponse(response: response) }
        }
    }

    /// Expects hello and opendatabot to have answered `response` normally.
    private static func expectBystandersAnswered(_ response: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        let hello = response.result(of: "hello")
        #expect(hello?["status"] == "ok", sourceLocation: sourceLocation)
        #expect(hello?["data"] == ["hello": 16], sourceLocation: sourceLocation)
        let opendatabot = response.result(of: "opendatabot")
        #expect(opendatabot?["status"] == "ok", sourceLocation: sourceLocation)
        #expect(opendatabot?["data"]?["companies"]?[0]?["code"] == "14360570", sourceLocation: sourceLocation)
    }

    private static func expectHealthy(_ server: ServerProcess, _ api: APIClient, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(server.process.isRunning, sourceLocation: sourceLocation)
        let health = try await api.get("/healthz", token: nil)
        #expect(health.status == 200, sourceLocation: sourceLocation)
        #expect(health.json == ["status": "ok"], sourceLocation: sourceLocation)
    }

    // MARK: Crashes, hangs, memory

    @Test func segfaultOnTheThirdCallIsThatCallsCrashedResultAndTheNextCallGetsAFreshChild() async throws {
        try await withPluginsServer(fixtures: ["crash_third_call", "hello"]) { server, api, _ in
            try await Self.namespace("crash", with: ["crash-third", "hello", "opendatabot"], api: api)
            var responses: [APIResponse] = []
            for _ in 1...4 {
                responses.append(try await api.query("crash", Self.query))
            }
            #expect(responses.map(\.status) == [200, 200, 200, 200])
            #expect(responses.map(\.resultPluginIds) == Array(repeating: ["crash-third", "hello", "opendatabot"], count: 4))
            #expect(responses[0].result(of: "crash-third")?["status"] == "ok")
            #expect(responses[0].result(of: "crash-third")?["data"] == ["call": 1])
            #expect(responses[1].result(of: "crash-third")?["status"] == "ok")
            #expect(responses[1].result(of: "crash-third")?["data"] == ["call": 2])
            let crashed = try #require(responses[2].result(of: "crash-third"))
            #expect(crashed["status"] == "crashed")
            #expect(crashed["error"] == "plugin host crashed: killed by SIGSEGV (signal 11)")
            #expect(crashed["data"] == nil)
            // A new child counts from 1 again.
            #expect(responses[3].result(of: "crash-third")?["status"] == "ok")
            #expect(responses[3].result(of: "crash-third")?["data"] == ["call": 1])
            for response in responses {
                Self.expectBystandersAnswered(response)
            }
            try await Self.expectHealthy(server, api)
            #expect(server.output.contains("plugin host crashed: killed by SIGSEGV (signal 11)"))
        }
    }

    @Test func abortIsACrashedResultNamingSIGABRT() async throws {
        try await withPluginsServer(fixtures: ["abort_call", "hello"]) { server, api, _ in
            try await Self.namespace("abort", with: ["abort-call", "hello", "opendatabot"], api: api)
            let response = try await api.query("abort", Self.query)
            #expect(response.status == 200)
            #expect(response.resultPluginIds == ["abort-call", "hello", "opendatabot"])
            let aborted = try #require(response.result(of: "abort-call"))
            #expect(aborted["status"] == "crashed")
            #expect(aborted["error"] == "plugin host crashed: killed by SIGABRT (signal 6)")
            Self.expectBystandersAnswered(response)
            try await Self.expectHealthy(server, api)
        }
    }

    @Test func endlessLoopTimesOutWithinTheCallTimeoutAndItsChildIsKilled() async throws {
        try await withPluginsServer(fixtures: ["loop_forever", "hello"], extraArguments: ["--call-timeout-ms", "1000"]) { server, api, _ in
            try await Self.namespace("loop", with: ["hello", "loop-forever", "opendatabot"], api: api)
            var spinning: [Int32] = []
            for round in 1...2 {
                let started = ContinuousClock.now
                async let answer = api.query("loop", Self.query)
                // Mid-call: the one child serving loop-forever, a new one each round.
                try await Task.sleep(for: .milliseconds(500))
                let hosts = ProcessTree.children(of: server.process.processIdentifier, commandLineContaining: "/plugin-copies/loop_forever-")
                #expect(hosts.count == 1, "round \(round): \(hosts)")
                #expect(!spinning.contains { hosts.contains($0) }, "round \(round): \(hosts) served an earlier round")
                spinning += hosts
                let response = try await answer
                let elapsed = started.duration(to: .now)
                #expect(response.status == 200, "round \(round)")
                #expect(response.resultPluginIds == ["hello", "loop-forever", "opendatabot"], "round \(round)")
                let looped = try #require(response.result(of: "loop-forever"))
                #expect(looped["status"] == "timeout", "round \(round)")
                // Two equal deadlines race: the child exchange's and the call runner's.
                #expect(
                    ["no result within the call timeout; plugin host killed", "no result within 1000 ms"].contains(looped["error"]?.stringValue ?? ""),
                    "round \(round): \(looped)"
                )
                let duration = try #require(looped["durationMs"]?.doubleValue)
                #expect(duration >= 990 && duration < 2500, "round \(round): \(duration) ms")
                #expect(elapsed < .milliseconds(3000), "round \(round): \(elapsed)")
                Self.expectBystandersAnswered(response)
                // The child that looped is killed and reaped (not left spinning, not a zombie).
                let deadline = ContinuousClock.now + .seconds(5)
                while hosts.contains(where: ProcessTree.exists), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(!hosts.contains(where: ProcessTree.exists), "round \(round): children \(hosts) still there")
            }
            try await Self.expectHealthy(server, api)
        }
    }

    /// 512 MiB: room for the child's Swift runtime, malloc arenas and 8 thread stacks of 8 MiB
    /// (the limit counts address space, not memory touched), little enough to hit quickly.
    @Test func allocatingPastTheMemoryLimitIsACrashedResult() async throws {
        try await withPluginsServer(fixtures: ["allocate_forever", "hello"], extraArguments: ["--plugin-memory-limit-mb", "512"]) { server, api, _ in
            try await Self.namespace("memory", with: ["allocate-forever", "hello", "opendatabot"], api: api)
            let response = try await api.query("memory", Self.query)
            #expect(response.status == 200)
            #expect(response.resultPluginIds == ["allocate-forever", "hello", "opendatabot"])
            let exhausted = try #require(response.result(of: "allocate-forever"))
            #expect(exhausted["status"] == "crashed")
            let error = exhausted["error"]?.stringValue
            #expect(
                error == "plugin host crashed: killed by SIGSEGV (signal 11)" || error == "plugin host crashed: killed by SIGABRT (signal 6)",
                "\(error ?? "no error")"
            )
            Self.expectBystandersAnswered(response)
            try await Self.expectHealthy(server, api)
        }
    }

    // MARK: Quarantine

    @Test func repeatedCrashesQuarantineThePluginUntilAnOperatorReactivatesIt() async throws {
        try await withPluginsServer(fixtures: ["abort_call", "hello"], extraArguments: ["--quarantine-after", "3"]) { server, api, _ in
            try await Self.namespace("quarantine", with: ["abort-call", "hello"], api: api)
            for call in 1...3 {
                let response = try await api.query("quarantine", Self.query)
                #expect(response.result(of: "abort-call")?["status"] == "crashed", "call \(call)")
                #expect(response.result(of: "abort-call")?["error"] == "plugin host crashed: killed by SIGABRT (signal 6)", "call \(call)")
                #expect(response.result(of: "hello")?["status"] == "ok", "call \(call)")
            }
            let reason = "3 crashes or timeouts within 60 s; last: crashed: killed by SIGABRT (signal 6)"

            let skipped = try await api.query("quarantine", Self.query)
            #expect(skipped.result(of: "abort-call")?["status"] == "skipped")
            #expect(skipped.result(of: "abort-call")?["error"]?.stringValue == """
                plugin abort-call is quarantined (\(reason)); an operator re-activates it with PATCH /api/v1/plugins/abort-call {"state":"active"}
                """)
            #expect(skipped.result(of: "hello")?["status"] == "ok")

            let quarantined = try await api.get("/api/v1/plugins/abort-call")
            #expect(quarantined.status == 200)
            #expect(quarantined.json["state"] == "quarantined")
            #expect(quarantined.json["stateReason"]?.stringValue == reason)
            #expect(quarantined.json["isolation"] == "process")
            let listed = try await api.get("/api/v1/plugins").json.arrayValue ?? []
            #expect(listed.plugin("abort-call")?["state"] == "quarantined")
            #expect(listed.plugin("hello")?["state"] == "active")

            let reactivated = try await api.patch("/api/v1/plugins/abort-call", ["state": "active"])
            #expect(reactivated.status == 200)
            #expect(reactivated.json["state"] == "active")
            #expect(reactivated.json["stateReason"] == nil)
            #expect(try await api.get("/api/v1/plugins/abort-call").json["state"] == "active")

            // It runs again (and crashes again), rather than being skipped.
            let again = try await api.query("quarantine", Self.query)
            #expect(again.result(of: "abort-call")?["status"] == "crashed")
            #expect(again.result(of: "abort-call")?["error"] == "plugin host crashed: killed by SIGABRT (signal 6)")
            try await Self.expectHealthy(server, api)
        }
    }

    // MARK: Operator controls and listing

    @Test func patchingIsolationToInprocessReloadsThePluginThatWayAndItKeepsAnswering() async throws {
        try await withPluginsServer(fixtures: ["hello"]) { _, api, _ in
            try await Self.namespace("switch", with: ["hello"], api: api)
            #expect(try await api.get("/api/v1/plugins/hello").json["isolation"] == "process")
            #expect(try await api.query("switch", Self.query).result(of: "hello")?["data"] == ["hello": 16])

            let patched = try await api.patch("/api/v1/plugins/hello", ["isolation": "inprocess"])
            #expect(patched.status == 200)
            #expect(patched.json["isolation"] == "inprocess")
            #expect(patched.json["state"] == "active")
            #expect(try await api.get("/api/v1/plugins/hello").json["isolation"] == "inprocess")
            #expect((try await api.get("/api/v1/plugins").json.arrayValue ?? []).plugin("hello")?["isolation"] == "inprocess")

            for _ in 1...3 {
                let response = try await api.query("switch", Self.query)
                #expect(response.result(of: "hello")?["status"] == "ok")
                #expect(response.result(of: "hello")?["data"] == ["hello": 16])
            }
        }
    }

    @Test func patchingAPluginNeedsAGlobalTokenWithCanManagePlugins() async throws {
        try await withPluginsServer(fixtures: ["hello"]) { _, api, _ in
            let department = try await api.patch("/api/v1/plugins/hello", ["isolation": "inprocess"], token: TestToken.user(["d1"]))
            #expect(department.status == 403)
            #expect(department.errorMessage == "changing a plugin affects every department; it needs a global token")
            let permissionless = try await api.patch("/api/v1/plugins/hello", ["isolation": "inprocess"], token: TestToken.make(permissions: []))
            #expect(permissionless.status == 403)
            #expect(permissionless.errorMessage == "changing a plugin needs the canManagePlugins permission")
            let namespacesOnly = try await api.patch("/api/v1/plugins/hello", ["state": "quarantined"], token: TestToken.make(permissions: ["canManageNamespaces"]))
            #expect(namespacesOnly.status == 403)
            let unchanged = try await api.get("/api/v1/plugins/hello")
            #expect(unchanged.json["isolation"] == "process")
            #expect(unchanged.json["state"] == "active")
        }
    }

    @Test func aFileThatIsNotAPluginDroppedInIsListedAsFailedWithItsError() async throws {
        try await withPluginsServer(fixtures: ["hello"]) { _, api, directory in
            try directory.drop(bytes: Data("this is not an ELF file, just text\n".utf8), as: "garbage.so")
            // The watcher finds it (no restart); GET lists it after the loaded plugins.
            let entries = try await api.waitForCatalog("garbage.so as failed") { $0.failedFile("garbage.so") != nil }
            #expect(entries.failedFile("garbage.so") == ["file": "garbage.so", "state": "failed", "error": "not an ELF file (no ELF magic number)"])
            #expect(entries.plugin("hello")?["state"] == "active")
            #expect(entries.last?["file"] == "garbage.so")
        }
    }

    @Test func filesThatFailToLoadAtStartupAreListedAsFailedWithTheirErrors() async throws {
        let directory = try TestPluginsDirectory.make()
        defer { directory.remove() }
        try directory.drop(bytes: Data("this is not an ELF file, just text\n".utf8), as: "garbage.so")
        // A stable but truncated ELF: refused by the ELF check before dlopen (which would fault with SIGBUS).
        let complete = try Data(contentsOf: try await FixtureCompiler.shared.library("hello"))
        try directory.drop(bytes: complete.prefix(5000), as: "truncated.so")
        try await withServer(pluginsDirectory: directory.url) { server, api in
            let entries = try await api.get("/api/v1/plugins").json.arrayValue ?? []
            #expect(entries.failedFile("garbage.so") == ["file": "garbage.so", "state": "failed", "error": "not an ELF file (no ELF magic number)"])
            let truncated = entries.failedFile("truncated.so")?["error"]?.stringValue ?? ""
            #expect(truncated.hasPrefix("truncated ELF file: a loadable segment ends at byte "))
            #expect(truncated.hasSuffix(", the file has 5000"))
            #expect(entries.failedFile("truncated.so")?["state"] == "failed")
            #expect(entries.failedFile("truncated.so") == [
                "file": "truncated.so", "state": "failed", "error": .string(truncated),
            ])
            #expect(entries.compactMap { $0["file"]?.stringValue } == ["garbage.so", "truncated.so"])
            // Asking for a category lists loaded plugins only.
            #expect(try await api.get("/api/v1/plugins?category=test").json == [])
            try await Self.expectHealthy(server, api)
        }
    }
}
