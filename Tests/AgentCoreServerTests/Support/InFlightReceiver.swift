import AgentCoreJSON
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local HTTP server on 127.0.0.1 that answers every request 200 after `delay`, and counts how
/// many requests it held at once: for telling concurrent deliveries from sequential ones.
final class InFlightReceiver: Sendable {
    private let channel: any Channel
    private let tally: Tally

    let port: Int
    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// The most requests held unanswered at one moment.
    var peakInFlight: Int { tally.state.withLock { $0.peak } }
    /// `data.title` of each request's JSON body, in arrival order.
    var arrivedTitles: [String] { tally.state.withLock { $0.titles } }
    /// Requests answered so far.
    var answered: Int { tally.state.withLock { $0.answered } }

    private init(channel: any Channel, tally: Tally, port: Int) {
        self.channel = channel
        self.tally = tally
        self.port = port
    }

    static func start(delay: Duration) async throws -> InFlightReceiver {
        let tally = Tally(delay: delay)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(HoldingHandler(tally: tally))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return InFlightReceiver(channel: channel, tally: tally, port: channel.localAddress!.port!)
    }

    func stop() async throws {
        try await channel.close()
    }
}

private final class Tally: Sendable {
    struct State {
        var inFlight = 0
        var peak = 0
        var answered = 0
        var titles: [String] = []
    }

    let state = Mutex(State())
    let delay: Duration

    init(delay: Duration) {
        self.delay = delay
    }
}

private final class HoldingHandler: ChannelInboundHandler, @unchecked Sendable {
    // Confined to its channel's event loop, as every NIO handler; never shared across threads.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let tally: Tally
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(tally: Tally) {
        self.tally = tally
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            self.head = nil
            let title = (try? JSONValue(parsing: body))?["data"]?["title"]?.stringValue ?? "?"
            tally.state.withLock { state in
                state.inFlight += 1
                state.peak = max(state.peak, state.inFlight)
                state.titles.append(title)
            }
            let (seconds, attoseconds) = tally.delay.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            // The answer is written on this channel's event loop, where the context may be used.
            let bound = NIOLoopBound((context: context, handler: self), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) { [tally] in
                let (context, handler) = bound.value
                // Counted out before the answer leaves, so the server never sees a reply from a request still counted.
                tally.state.withLock { state in
                    state.inFlight -= 1
                    state.answered += 1
                }
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "2")
                headers.add(name: "content-type", value: "application/json")
                context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{}")))), promise: nil)
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
