import AgentCoreJSON
import Crypto
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local webhook receiver on 127.0.0.1: checks each delivery's HMAC signature, notes when it
/// arrived (by the approval title in its body), and answers 204.
final class WebhookSink: Sendable {
    private let channel: any Channel
    let state: SinkState
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(channel: any Channel, state: SinkState, port: Int) {
        self.channel = channel
        self.state = state
        self.port = port
    }

    static func start(secret: String) async throws -> WebhookSink {
        let state = SinkState(secret: Array(secret.utf8))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(SinkHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return WebhookSink(channel: channel, state: state, port: channel.localAddress!.port!)
    }

    func stop() async {
        try? await channel.close()
    }

    /// Arrival times (monotonic ns) by approval title.
    var arrivals: [String: UInt64] { state.arrivals.withLock { $0 } }
    var badSignatures: Int { state.badSignatures.withLock { $0 } }
    var duplicates: Int { state.duplicates.withLock { $0 } }
}

/// What the receiver saw, shared by its connections.
final class SinkState: Sendable {
    let secret: [UInt8]
    let arrivals = Mutex<[String: UInt64]>([:])
    let badSignatures = Mutex(0)
    let duplicates = Mutex(0)

    init(secret: [UInt8]) { self.secret = secret }

    func record(body: [UInt8], signature: String?) {
        let now = MonotonicClock.nanoseconds()
        let key = SymmetricKey(data: secret)
        let expected = "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: key).map { String(format: "%02x", $0) }.joined()
        if signature != expected { badSignatures.withLock { $0 += 1 } }
        guard let title = (try? JSONValue(parsing: body))?["data"]?["title"]?.stringValue else {
            badSignatures.withLock { $0 += 1 }
            return
        }
        let duplicate = arrivals.withLock { arrivals in
            if arrivals[title] != nil { return true }
            arrivals[title] = now
            return false
        }
        if duplicate { duplicates.withLock { $0 += 1 } }
    }
}

private final class SinkHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: confined to its channel's event loop, as every NIO handler.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: SinkState
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: SinkState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            state.record(body: body, signature: head.headers.first(name: "x-agentcore-signature"))
            self.head = nil
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: "0")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .noContent, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
