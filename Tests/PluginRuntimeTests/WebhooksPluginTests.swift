import AgentCoreJSON
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PluginRuntime
import Synchronization
import Testing

/// The webhooks built-in (Swift), loaded from its real .so, delivering to a real HTTP receiver on
/// 127.0.0.1. Signatures are recomputed here with swift-crypto, independently of the plugin.
@Suite struct WebhooksPluginTests {
    static let namespaceId = "ns-webhooks"
    static let departmentId = "dep-webhooks"

    static func approvalEvent(deliveryId: String = "dlv-approval-1", attempt: Int = 1) -> PluginEvent {
        PluginEvent(
            kind: .approvalCreated, deliveryId: deliveryId, attempt: attempt,
            occurredAt: Date(timeIntervalSince1970: 1_767_225_600.25),
            namespaceId: namespaceId, departmentId: departmentId,
            data: ["approvalId": "apr-7", "title": "Pay \"Acme\" invoice", "payload": ["amount": 1250.5, "lines": [1, 2]]]
        )
    }

    static func documentEvent() -> PluginEvent {
        PluginEvent(
            kind: .documentReady, deliveryId: "dlv-document-1", attempt: 1,
            occurredAt: Date(timeIntervalSince1970: 1_767_225_601),
            namespaceId: namespaceId, departmentId: departmentId,
            data: ["documentId": "doc-3", "name": "contract.pdf", "size": 52_311]
        )
    }

    /// What the receiver must get for `event`: `{event, namespaceId, departmentId, data, occurredAt}`.
    static func expectedBody(of event: PluginEvent) throws -> JSONValue {
        [
            "event": .string(event.kind.rawValue),
            "namespaceId": .string(event.namespaceId),
            "departmentId": .string(event.departmentId),
            "data": event.data,
            "occurredAt": try #require(event.envelope["occurredAt"]),
        ]
    }

    /// Runs `body` with a runtime that loaded the built-ins and has webhooks enabled with `config`.
    private func withRuntime(
        config: JSONValue, httpTimeout: Duration = .seconds(10), _ body: (PluginRuntime) async throws -> Void
    ) async throws {
        let installs = WebhooksTestInstalls(namespaces: [
            Self.namespaceId: NamespaceInstalls(
                namespaceId: Self.namespaceId, departmentId: Self.departmentId,
                installs: [PluginInstall(pluginId: "webhooks", enabled: true, config: config)]
            ),
        ])
        let runtime = PluginRuntime(
            configuration: PluginRuntimeConfiguration(builtinDirectory: nil, pluginDirectories: [], httpTimeout: httpTimeout),
            installSource: installs, keyValueStore: InMemoryKeyValueStore(),
            logger: Logger(label: "test.webhooks")
        )
        await runtime.loadPlugins()
        do {
            try #require(runtime.plugin(id: "webhooks") != nil, "loaded from the test binary's directory")
            try await body(runtime)
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test func builtinDeclaresBothEventHooksAndItsConfigSchema() async throws {
        try await withRuntime(config: ["url": "http://127.0.0.1:9/unused"]) { runtime in
            let info = try #require(runtime.plugin(id: "webhooks"))
            #expect(info.source == .builtin)
            #expect(info.capabilities == [.approvalHook, .documentHook])
            #expect(info.configSchema["required"] == ["url"])
            #expect(info.configSchema["additionalProperties"] == false)
            #expect(info.configSchema["properties"]?["secret"]?["writeOnly"] == true)
            #expect(info.configSchema["properties"]?["events"]?["default"] == ["approval.created", "document.ready"])
            #expect(info.configSchema["properties"]?["signatureScheme"]?["default"] == "agentcore")
        }
    }

    @Test func agentcoreSchemeSignsTheExactBodyWithHexHMAC() async throws {
        let receiver = try await WebhookTestReceiver.start(status: .noContent)
        let secret = "s3cret-for-tests"
        let event = Self.approvalEvent(attempt: 3)
        try await withRuntime(config: ["url": .string(receiver.url), "secret": .string(secret)]) { runtime in
            let result = await runtime.deliver(event, pluginId: "webhooks")
            #expect(result.status == .ok, "\(result.error ?? "")")
        }
        try await receiver.stop()

        let requests = receiver.requests
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/agentcore")
        #expect(request.headers["content-type"] == ["application/json"])
        #expect(request.headers["x-agentcore-event"] == ["approval.created"])
        #expect(request.headers["x-agentcore-delivery"] == ["dlv-approval-1"])
        #expect(request.headers["x-agentcore-attempt"] == ["3"])
        let mac = HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Array(secret.utf8)))
        #expect(request.headers["x-agentcore-signature"] == ["sha256=" + Self.hex(mac)])
        #expect(request.headers["webhook-signature"].isEmpty)
        #expect(try JSONValue(parsing: request.body) == Self.expectedBody(of: event))
    }

    @Test func standardWebhooksSchemeSignsIdTimestampAndBodyWithTheDecodedKey() async throws {
        let receiver = try await WebhookTestReceiver.start(status: .ok)
        let key: [UInt8] = Array("a 24-byte key for tests!".utf8)
        let event = Self.documentEvent()
        let config: JSONValue = [
            "url": .string(receiver.url), "secret": .string("whsec_" + Data(key).base64EncodedString()),
            "signatureScheme": "standard-webhooks",
        ]
        try await withRuntime(config: config) { runtime in
            let result = await runtime.deliver(event, pluginId: "webhooks")
            #expect(result.status == .ok, "\(result.error ?? "")")
        }
        try await receiver.stop()

        let requests = receiver.requests
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.headers["webhook-id"] == ["dlv-document-1"])
        #expect(request.headers["x-agentcore-event"] == ["document.ready"])
        #expect(request.headers["x-agentcore-signature"].isEmpty)
        let timestamp = try #require(request.headers.first(name: "webhook-timestamp").flatMap { Int($0) })
        // The timestamp is the attempt's: now, give or take a slow machine.
        #expect(abs(timestamp - Int(Date().timeIntervalSince1970)) < 300)
        let signed = Array("dlv-document-1.\(timestamp).".utf8) + request.body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        #expect(request.headers["webhook-signature"] == ["v1," + Data(mac).base64EncodedString()])
        #expect(try JSONValue(parsing: request.body) == Self.expectedBody(of: event))
    }

    @Test func withoutASecretNoSignatureIsSent() async throws {
        let receiver = try await WebhookTestReceiver.start(status: .ok)
        try await withRuntime(config: ["url": .string(receiver.url)]) { runtime in
            let result = await runtime.deliver(Self.approvalEvent(), pluginId: "webhooks")
            #expect(result.status == .ok, "\(result.error ?? "")")
        }
        try await receiver.stop()

        let requests = receiver.requests
        try #require(requests.count == 1)
        #expect(requests[0].headers["x-agentcore-signature"].isEmpty)
        #expect(requests[0].headers["webhook-signature"].isEmpty)
        #expect(requests[0].headers["x-agentcore-delivery"] == ["dlv-approval-1"])
    }

    @Test func eventsTheNamespaceDidNotSubscribeToAreNotSent() async throws {
        let receiver = try await WebhookTestReceiver.start(status: .ok)
        try await withRuntime(config: ["url": .string(receiver.url), "events": ["document.ready"]]) { runtime in
            let skipped = await runtime.deliver(Self.approvalEvent(), pluginId: "webhooks")
            #expect(skipped.status == .ok, "\(skipped.error ?? "")")
            let delivered = await runtime.deliver(Self.documentEvent(), pluginId: "webhooks")
            #expect(delivered.status == .ok, "\(delivered.error ?? "")")
        }
        try await receiver.stop()

        #expect(receiver.requests.map { $0.headers["x-agentcore-event"] } == [["document.ready"]])
    }

    @Test func aNon2xxAnswerIsAnErrorSoTheHostRetries() async throws {
        let receiver = try await WebhookTestReceiver.start(status: .internalServerError)
        try await withRuntime(config: ["url": .string(receiver.url)]) { runtime in
            let result = await runtime.deliver(Self.approvalEvent(), pluginId: "webhooks")
            #expect(result.status == .error)
            #expect(result.error == "POST \(receiver.url) answered HTTP 500")
        }
        try await receiver.stop()
        #expect(receiver.requests.count == 1)
    }

    @Test func anUnreachableReceiverIsAnError() async throws {
        // A port that was just free: bind, note it, close.
        let closed = try await WebhookTestReceiver.start(status: .ok)
        try await closed.stop()
        // The host HTTP client keeps retrying a refused connection until its time bound, then
        // reports a timeout; keep that bound below the hook's 5 s so the plugin sees the failure.
        try await withRuntime(config: ["url": .string(closed.url)], httpTimeout: .seconds(1)) { runtime in
            let result = await runtime.deliver(Self.approvalEvent(), pluginId: "webhooks")
            #expect(result.status == .error)
            #expect(result.error?.hasPrefix("POST \(closed.url) failed: ") == true, "\(result.error ?? "")")
        }
    }

    @Test func standardWebhooksSchemeRefusesASecretWithoutTheWhsecPrefix() async throws {
        let config: JSONValue = ["url": "http://127.0.0.1:9/hook", "secret": "plain-secret", "signatureScheme": "standard-webhooks"]
        try await withRuntime(config: config) { runtime in
            let result = await runtime.deliver(Self.approvalEvent(), pluginId: "webhooks")
            #expect(result.status == .error)
            #expect(result.error?.contains(#"/secret: signatureScheme "standard-webhooks" needs a secret of the form whsec_<base64 key>"#) == true,
                    "\(result.error ?? "")")
            #expect(result.error?.contains("plain-secret") == false)
        }
    }
}

/// Installs served from memory: the registry's source for these tests.
private struct WebhooksTestInstalls: PluginInstallSource {
    let namespaces: [String: NamespaceInstalls]

    func installs(namespaceId: String) async throws -> NamespaceInstalls? {
        namespaces[namespaceId]
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 (SwiftNIO) that records every request and answers each
/// with one fixed status.
private final class WebhookTestReceiver: Sendable {
    struct Request: Sendable {
        let method: String
        let path: String
        let headers: HTTPHeaders
        let body: [UInt8]
    }

    private let channel: any Channel
    private let recorded: RequestLog
    let url: String

    private init(channel: any Channel, recorded: RequestLog, port: Int) {
        self.channel = channel
        self.recorded = recorded
        self.url = "http://127.0.0.1:\(port)/hooks/agentcore"
    }

    static func start(status: HTTPResponseStatus) async throws -> WebhookTestReceiver {
        let recorded = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(status: status, recorded: recorded))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(channel.localAddress?.port)
        return WebhookTestReceiver(channel: channel, recorded: recorded, port: port)
    }

    /// Stops listening; requests already recorded stay readable.
    func stop() async throws {
        try await channel.close()
    }

    var requests: [Request] { recorded.all }

    private final class RequestLog: Sendable {
        private let requests = Mutex<[Request]>([])
        func append(_ request: Request) { requests.withLock { $0.append(request) } }
        var all: [Request] { requests.withLock { $0 } }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let status: HTTPResponseStatus
        private let recorded: RequestLog
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(status: HTTPResponseStatus, recorded: RequestLog) {
            self.status = status
            self.recorded = recorded
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                guard let head else { return }
                recorded.append(Request(method: head.method.rawValue, path: head.uri, headers: head.headers, body: body))
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "0")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                self.head = nil
            }
        }
    }
}
