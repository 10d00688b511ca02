import AgentCoreJSON
import Foundation

/// 5. HTTP API throughput with wrk at 64 connections: two authenticated routes of the release
/// server against a bare Hummingbird route returning the same bytes, in its own process.
struct HTTPThroughputScenario: Scenario {
    let id = "http"
    let number = 5
    let title = "HTTP API throughput (wrk, 64 connections, JWT) vs a bare Hummingbird route"

    func run(_ environment: BenchEnvironment) async throws -> ScenarioReport {
        let server = try await ServerProcess.agentcore(environment, name: "http")
        var bare: ServerProcess?
        do {
            let token = try AdminToken.mint(environment)
            let api = server.baseURL + "/api/v1"
            try await BenchHTTP.expect(201, .POST, api + "/namespaces", token: token, json: ["id": "acme", "name": "Acme", "departmentId": "sales"])
            try await BenchHTTP.expect(201, .POST, api + "/namespaces/acme/plugins/opendatabot", token: token, json: [:])
            let queryBody = JSONValue.object(["query": "Who is 14360570?"]).serialized()
            let plugins = try await BenchHTTP.expect(200, .GET, api + "/namespaces/acme/plugins", token: token)
            let query = try await BenchHTTP.expect(200, .POST, api + "/namespaces/acme/query", token: token, json: ["query": "Who is 14360570?"])
            guard query.json["results"]?[0]?["status"]?.stringValue == "ok" else {
                throw BenchError("opendatabot did not answer ok: \(query.text.prefix(400))")
            }
            let directory = try environment.directory("http-bare")
            try Data(plugins.bytes).write(to: URL(fileURLWithPath: directory + "/plugins.json"))
            try Data(query.bytes).write(to: URL(fileURLWithPath: directory + "/query.json"))
            let pluginsPath = "/api/v1/namespaces/acme/plugins", queryPath = "/api/v1/namespaces/acme/query"
            let bareServer = try await ServerProcess.bare(environment, name: "http-bare", routes: [
                ("GET", pluginsPath, directory + "/plugins.json"), ("POST", queryPath, directory + "/query.json"),
            ])
            bare = bareServer
            let check = try await BenchHTTP.expect(200, .GET, bareServer.baseURL + pluginsPath, token: token)
            guard check.bytes == plugins.bytes else { throw BenchError("the bare route does not answer the same bytes") }

            guard let wrk = WrkRunner.find(install: !environment.quick) else {
                await bareServer.stop()
                await server.stop()
                return ScenarioReport(self, status: .notRun, message: "wrk is not installed (apt-get install wrk); --quick does not install it. Setup and both servers checked.")
            }
            let seconds = environment.quick ? 2 : 10
            var figures: [Figure] = []
            var details: [String: String] = [:]
            for (label, path, body) in [("GET /namespaces/:id/plugins", pluginsPath, String?.none), ("POST /namespaces/:id/query", queryPath, queryBody)] {
                // Warm both, then measure them one after the other.
                _ = try wrk.run(url: server.baseURL + path, token: token, postBody: body, seconds: environment.quick ? 1 : 3, scriptDirectory: directory)
                _ = try wrk.run(url: bareServer.baseURL + path, token: token, postBody: body, seconds: environment.quick ? 1 : 3, scriptDirectory: directory)
                let real = try wrk.run(url: server.baseURL + path, token: token, postBody: body, seconds: seconds, scriptDirectory: directory)
                let floor = try wrk.run(url: bareServer.baseURL + path, token: token, postBody: body, seconds: seconds, scriptDirectory: directory)
                guard real.non2xx == 0, floor.non2xx == 0 else {
                    throw BenchError("\(label): non-2xx answers (server \(real.non2xx), bare \(floor.non2xx))")
                }
                figures.append(Figure("\(label) req/s", real.requestsPerSecond, unit: "req/s", floor: ("bare route req/s", floor.requestsPerSecond), target: .ratioAtLeast(0.6), samples: real.requests))
                figures.append(Figure("\(label) p50", real.p50, unit: "ms", floor: ("bare route p50", floor.p50)))
                figures.append(Figure("\(label) p99", real.p99, unit: "ms", floor: ("bare route p99", floor.p99)))
                if let errors = real.socketErrors ?? floor.socketErrors { details["\(label) socket errors"] = errors }
            }
            details["wrk"] = "-t2 -c64 -d\(seconds)s --latency, after a \(environment.quick ? 1 : 3) s warm-up of each side"
            details["server"] = "release agentcore serve, default log level (one info line per request, to a file)"
            details["response bytes"] = "plugins \(plugins.bytes.count) B, query \(query.bytes.count) B"
            await bareServer.stop()
            await server.stop()
            return ScenarioReport(self, figures: figures, details: details)
        } catch {
            await bare?.stop()
            await server.stop()
            throw error
        }
    }
}
