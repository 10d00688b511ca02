import AsyncHTTPClient
import Logging
import NIOCore
import PluginNative
import Synchronization

/// The services plugins reach through the host API table: log, HTTP and key-value.
///
/// Every function runs on the calling plugin thread. HTTP blocks that thread while the
/// request runs on AsyncHTTPClient's event loops (never on the cooperative pool, and never
/// on a plugin thread, so the wait cannot deadlock). Every service is scoped by the calling
/// instance's context: the rate limit and the key-value entries belong to (plugin, namespace).
final class HostServices: NativeHostServices {
    /// Keys are at most this many bytes.
    static let maxKeyBytes = 256
    /// Values are at most this many bytes (64 KiB).
    static let maxValueBytes = 64 * 1024
    /// Response bodies larger than this fail the request (AC_ERR_UNAVAILABLE).
    static let maxResponseBodyBytes = 16 * 1024 * 1024

    private let logger: Logger
    private let keyValueStore: any PluginKeyValueStore
    private let rateLimiter: HTTPRateLimiter
    private let httpTimeout: Duration
    /// Created on the first request, shut down by `shutdown()`; nil afterwards.
    private let client = Mutex<ClientState>(.notStarted)

    private enum ClientState {
        case notStarted
        case running(HTTPClient)
        case shutDown
    }

    init(configuration: PluginRuntimeConfiguration, keyValueStore: any PluginKeyValueStore, logger: Logger) {
        self.logger = logger
        self.keyValueStore = keyValueStore
        self.rateLimiter = HTTPRateLimiter(requestsPerMinute: configuration.httpRequestsPerMinute)
        self.httpTimeout = configuration.httpTimeout
    }

    deinit {
        // A runtime dropped without `shutdown()`: AsyncHTTPClient requires a shutdown before
        // its deinit, so start one (it completes on the client's event loop).
        if case .running(let client) = client.withLock({ $0 }) {
            _ = client.shutdown()
        }
    }

    /// Shuts the HTTP client down; later requests fail with AC_ERR_UNAVAILABLE.
    func shutdown() async {
        let running: HTTPClient? = client.withLock { state in
            defer { state = .shutDown }
            if case .running(let client) = state { return client }
            return nil
        }
        try? await running?.shutdown()
    }

    // MARK: Log

    func log(_ context: NativeContext, level: NativeLogLevel, message: String, fields: [(key: String, value: String)]) {
        var metadata: Logger.Metadata = [
            "pluginId": .string(context.pluginId),
            "namespaceId": .string(context.namespaceId),
            "departmentId": .string(context.departmentId),
        ]
        for field in fields where metadata[field.key] == nil {
            metadata[field.key] = .string(field.value)
        }
        let swiftLevel: Logger.Level = switch level {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
        logger.log(level: swiftLevel, "\(message)", metadata: metadata)
    }

    // MARK: HTTP

    func httpRequest(_ context: NativeContext, _ request: NativeHTTPRequest) -> NativeHTTPResponse {
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            return NativeHTTPResponse(status: .invalidInput, error: "url must be an absolute http:// or https:// URL")
        }
        guard !request.method.isEmpty, request.method.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            return NativeHTTPResponse(status: .invalidInput, error: "invalid HTTP method \"\(request.method)\"")
        }
        guard rateLimiter.tryAcquire(pluginId: context.pluginId, namespaceId: context.namespaceId) else {
            logger.warning("plugin HTTP request refused: rate limit", metadata: Self.metadata(context))
            return NativeHTTPResponse(status: .rateLimited, error: "rate limit exceeded for plugin \(context.pluginId) in namespace \(context.namespaceId)")
        }
        let client: HTTPClient
        switch self.client.withLock({ state -> HTTPClient? in
            switch state {
            case .running(let client): return client
            case .shutDown: return nil
            case .notStarted:
                // A refused connection fails the request at once (AC_ERR_UNAVAILABLE) instead
                // of being retried with backoff until the deadline: the plugin decides whether
                // to retry, and a down target does not look like a slow one.
                var configuration = HTTPClient.Configuration()
                configuration.connectionPool.retryConnectionEstablishment = false
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
                state = .running(client)
                return client
            }
        }) {
        case let running?: client = running
        case nil: return NativeHTTPResponse(status: .unavailable, error: "the host HTTP client is shut down")
        }

        var timeout = httpTimeout
        if request.timeoutMilliseconds > 0 {
            timeout = min(timeout, .milliseconds(Int64(request.timeoutMilliseconds)))
        }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000

        var httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(url: request.url, method: .init(rawValue: request.method))
        } catch {
            return NativeHTTPResponse(status: .invalidInput, error: "invalid URL: \(error)")
        }
        for header in request.headers { httpRequest.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty { httpRequest.body = .bytes(request.body) }
        do {
            let task = client.execute(
                request: httpRequest,
                delegate: ResponseAccumulator(request: httpRequest, maxBodySize: Self.maxResponseBodyBytes),
                deadline: .now() + .nanoseconds(nanoseconds)
            )
            // Blocks this plugin thread only; the request runs on the client's event loop.
            let response = try task.futureResult.wait()
            var body: [UInt8] = []
            if let buffer = response.body { body = Array(buffer.readableBytesView) }
            return NativeHTTPResponse(
                status: .ok, httpStatus: Int32(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) }, body: body
            )
        } catch {
            let status = Self.status(for: error)
            logger.debug("plugin HTTP request failed", metadata: Self.metadata(context).merging(["error": "\(error)"]) { $1 })
            return NativeHTTPResponse(status: status, error: status == .timeout ? "request timed out after \(timeout.wholeMilliseconds) ms" : "\(error)")
        }
    }

    private static func status(for error: any Error) -> NativeStatus {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return .timeout
            default:
                return .unavailable
            }
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return .timeout }
        return .unavailable
    }


    private static func metadata(_ context: NativeContext) -> Logger.Metadata {
        ["pluginId": .string(context.pluginId), "namespaceId": .string(context.namespaceId)]
    }

    // MARK: Key-value

    func keyValueGet(_ context: NativeContext, key: [UInt8]) -> (NativeStatus, [UInt8]?) {
        guard let key = Self.validKey(key) else { return (.invalidInput, nil) }
        do {
            guard let value = try keyValueStore.value(pluginId: context.pluginId, namespaceId: context.namespaceId, key: key) else {
                return (.notFound, nil)
            }
            return (.ok, value)
        } catch {
            logger.error("key-value read failed", metadata: Self.metadata(context).merging(["error": "\(error)"]) { $1 })
            return (.error, nil)
        }
    }

    func keyValueSet(_ context: NativeContext, key: [UInt8], value: [UInt8]) -> NativeStatus {
        guard let key = Self.validKey(key), value.count <= Self.maxValueBytes else { return .invalidInput }
        do {
            try keyValueStore.setValue(value, pluginId: context.pluginId, namespaceId: context.namespaceId, key: key)
            return .ok
        } catch {
            logger.error("key-value write failed", metadata: Self.metadata(context).merging(["error": "\(error)"]) { $1 })
            return .error
        }
    }

    func keyValueDelete(_ context: NativeContext, key: [UInt8]) -> NativeStatus {
        guard let key = Self.validKey(key) else { return .invalidInput }
        do {
            try keyValueStore.removeValue(pluginId: context.pluginId, namespaceId: context.namespaceId, key: key)
            return .ok
        } catch {
            logger.error("key-value delete failed", metadata: Self.metadata(context).merging(["error": "\(error)"]) { $1 })
            return .error
        }
    }

    /// A key of 1...256 bytes of valid UTF-8.
    private static func validKey(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty, bytes.count <= maxKeyBytes else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
