import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local HTTP server on 127.0.0.1 that records every request and answers 200,
/// or 500 for its first `failFirst` requests, 503 while it is "down", and after `delay`.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let method: String
        let uri: String
        let headers: [(String, String)]
        let body: [UInt8]
        /// Whether the receiver answered 2xx.
        var succeeded = true

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    private let channel: any Channel
    private let log: RequestLog

    let port: Int
    var url: String { "http://127.0.0.1:\(port)/hook" }

    var received: [Received] { log.requests.withLock { $0 } }

    private init(channel: any Channel, log: RequestLog, port: Int) {
        self.channel = channel
        self.log = log
        self.port = port
    }

    /// Makes every later request fail with 503 (down) or be answered normally (up).
    func setDown(_ down: Bool) {
        log.answering.withLock { $0.down = down }
    }

    /// Requests answered 2xx so far.
    var successes: [Received] { log.requests.withLock { $0 }.filter(\.succeeded) }

    static func start(failFirst: Int = 0, down: Bool = false, delay: Duration = .zero) async throws -> WebhookReceiver {
        let log = RequestLog(answering: Answering(failuresLeft: failFirst, down: down, delay: delay))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RecordingHandler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return WebhookReceiver(channel: channel, log: log, port: channel.localAddress!.port!)
    }

    /// Waits until `count` requests arrived (or `timeout` passed) and returns them.
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while received.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return received
    }

    func stop() async throws {
        try await channel.close()
    }
}

/// What the receiver answers next.
private struct Answering: Sendable {
    var failuresLeft: Int
    var down: Bool
    var delay: Duration

    /// The status for the next request, consuming one planned failure.
    mutating func nextStatus() -> HTTPResponseStatus {
        if down { return .serviceUnavailable }
        if failuresLeft > 0 {
            failuresLeft -= 1
            return .internalServerError
        }
        return .ok
    }
}

private final class RequestLog: Sendable {
    let requests = Mutex<[WebhookReceiver.Received]>([])
    let answering: Mutex<Answering>

    init(answering: Answering = Answering(failuresLeft: 0, down: false, delay: .zero)) {
        self.answering = Mutex(answering)
    }
}

private final class RecordingHandler: ChannelInboundHandler, @unchecked Sendable {
    // Confined to its channel's event loop, as every NIO handler; never shared across threads.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: RequestLog
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(log: RequestLog) {
        self.log = log
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
            let (status, delay) = log.answering.withLock { ($0.nextStatus(), $0.delay) }
            var request = WebhookReceiver.Received(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: body
            )
            request.succeeded = status == .ok
            self.head = nil
            let respond = { [log] in
                // Recorded when answered, so `successes` never runs ahead of what the server saw.
                log.requests.withLock { $0.append(request) }
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "2")
                headers.add(name: "content-type", value: "application/json")
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{}")))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
            if delay == .zero {
                respond()
            } else {
                let (seconds, attoseconds) = delay.components
                let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
                context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds), respond)
            }
        }
    }
}
