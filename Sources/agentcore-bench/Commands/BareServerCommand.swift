import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// Hidden: a bare Hummingbird server answering fixed bytes, the floor of the HTTP and startup scenarios.
///
/// Runs in its own process so it pays the same process costs as `agentcore serve` (its own
/// event loops, no sharing of cores with the bench's client beyond what the server has).
struct BareServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server",
        abstract: "A bare Hummingbird server returning fixed bytes (used by the bench).",
        shouldDisplay: false
    )

    @Option var port = 0
    /// `METHOD PATH FILE` triples: answer `METHOD PATH` with the bytes of FILE (application/json).
    @Option(parsing: .upToNextOption) var route: [String] = []

    func validate() throws {
        guard route.count % 3 == 0 else { throw ValidationError("--route takes METHOD PATH FILE triples") }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let router = Router()
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}\n")))
        }
        for index in stride(from: 0, to: route.count, by: 3) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: route[index + 2]))
            let body = ByteBuffer(bytes: bytes)
            let path = RouterPath(route[index + 1])
            let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                // Read the request body like the real routes do, then answer the fixed bytes.
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
            }
            switch route[index].uppercased() {
            case "POST": router.post(path, use: handler)
            default: router.get(path, use: handler)
            }
        }
        var logger = Logger(label: "bare-server")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"),
            onServerRunning: { channel in
                Console.line("bare-server listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)")
            },
            logger: logger
        )
        try await app.runService()
    }
}
