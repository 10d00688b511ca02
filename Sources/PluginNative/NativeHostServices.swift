/// An outbound HTTP request made by a plugin through `host->http_request`, copied out of C.
public struct NativeHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// 0 = the host default.
    public var timeoutMilliseconds: UInt32

    public init(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8], timeoutMilliseconds: UInt32) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// The answer to a `NativeHTTPRequest`, copied into host-allocated C memory for the plugin.
public struct NativeHTTPResponse: Sendable {
    public var status: NativeStatus
    /// HTTP status, or 0 when no response arrived.
    public var httpStatus: Int32
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Why the request failed; empty on success.
    public var error: String

    public init(status: NativeStatus, httpStatus: Int32 = 0, headers: [(name: String, value: String)] = [], body: [UInt8] = [], error: String = "") {
        self.status = status
        self.httpStatus = httpStatus
        self.headers = headers
        self.body = body
        self.error = error
    }
}

/// The host services behind the C host API table, implemented by the runtime.
///
/// Called synchronously on the plugin thread that called the host function (never on the
/// cooperative pool), so implementations may block that thread, but must never wait on
/// work that needs it.
public protocol NativeHostServices: AnyObject, Sendable {
    func log(_ context: NativeContext, level: NativeLogLevel, message: String, fields: [(key: String, value: String)])
    func httpRequest(_ context: NativeContext, _ request: NativeHTTPRequest) -> NativeHTTPResponse
    /// `.ok` with the value, `.notFound`, or an error status.
    func keyValueGet(_ context: NativeContext, key: [UInt8]) -> (NativeStatus, [UInt8]?)
    func keyValueSet(_ context: NativeContext, key: [UInt8], value: [UInt8]) -> NativeStatus
    func keyValueDelete(_ context: NativeContext, key: [UInt8]) -> NativeStatus
}
