import AgentCoreJSON

/// 3. Fan-out: 20 query plugins on one namespace, each sleeping 10 ms: `/query` end to end
/// through the real server.
struct FanOutScenario: Scenario {
    let id = "fanout"
    let number = 3
    let title = "Fan-out (/query over 20 plugins sleeping 10 ms, release agentcore serve)"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        let pluginIds = (1...20).map { String(format: "sleep-%02d", $0) }
        let plugins = try environment.pluginDirectory("fanout-plugins", source: "sleep", ids: pluginIds)
        let measured = environment.quick ? 10 : 400
        let floor = Self.floor(rounds: measured)
        var figures: [Figure] = []
        // The server's default first: directory plugins each in a plugin-host child.
        for mode in [IsolationMode.process, .inProcess] {
            let server = try await ServerProcess.agentcore(
                environment, name: "fanout-\(mode.rawValue)", pluginsDirectory: plugins, arguments: ["--directory-isolation", mode.serveFlag]
            )
            do {
                let query = try await measure(environment, server: server, pluginIds: pluginIds, measured: measured)
                await server.stop()
                figures.append(Figure("/query p99 (\(mode.rawValue))", query.p99, unit: "ms", floor: ("20 threads sleeping 10 ms p99", floor.p99), target: .valueAtMost(15), samples: query.count))
                figures.append(Figure("/query p50 (\(mode.rawValue))", query.p50, unit: "ms", floor: ("20 threads sleeping 10 ms p50", floor.p50), samples: query.count))
            } catch {
                await server.stop()
                throw error
            }
        }
        return ScenarioReport(self, figures: figures, details: [
            "client": "AsyncHTTPClient, one request at a time, keep-alive",
            "isolation": "process = the server's default for directory plugins (--directory-isolation process); in-process = --directory-isolation inprocess",
        ])
    }

    /// 20 threads sleeping 10 ms together, per round, in milliseconds.
    private static func floor(rounds: Int) -> Samples {
        let pool = SleeperPool(threads: 20, sleepMilliseconds: 10)
        var times: [Double] = []
        for index in 0..<(rounds + 10) {
            let elapsed = pool.round()
            if index >= 10 { times.append(Double(elapsed)) }
        }
        pool.stop()
        return Samples(times).scaled(by: 1_000_000)
    }

    private func measure(_ environment: BenchEnvironment, server: ServerProcess, pluginIds: [String], measured: Int) async throws -> Samples {
        let token = try AdminToken.mint(environment)
        let api = server.baseURL + "/api/v1"
        try await BenchHTTP.expect(201, .POST, api + "/namespaces", token: token, json: ["id": "fanout", "name": "Fan-out", "departmentId": "bench"])
        for pluginId in pluginIds {
            try await BenchHTTP.expect(201, .POST, api + "/namespaces/fanout/plugins/\(pluginId)", token: token, json: ["config": [:]])
        }
        let body = JSONValue.object(["query": .string("Who is 14360570?")]).serializedBytes()
        let warmUp = environment.quick ? 3 : 20
        var latencies: [Double] = []
        for index in 0..<(warmUp + measured) {
            let start = MonotonicClock.nanoseconds()
            let response = try await BenchHTTP.send(.POST, api + "/namespaces/fanout/query", token: token, body: body)
            let end = MonotonicClock.nanoseconds()
            let results = response.json["results"]?.arrayValue ?? []
            guard response.status == 200, results.count == 20, results.allSatisfy({ $0["status"]?.stringValue == "ok" }) else {
                throw BenchError("query \(index) answered \(response.status): \(response.text.prefix(400))")
            }
            if index >= warmUp { latencies.append(Double(end - start)) }
        }
        return Samples(latencies).scaled(by: 1_000_000)
    }
}
