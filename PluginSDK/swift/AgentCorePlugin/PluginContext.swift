/// One instance's view of the host: its namespace and department, and the
/// host services scoped to them (log, HTTP, key-value store).
///
/// Valid from `Plugin.init` until the instance is destroyed: keep it in the
/// instance, never in a global. Every method is thread-safe; `http` and the
/// key-value store block the calling thread, which is a host plugin thread.
public struct PluginContext: Sendable {
    let handle: ContextHandle

    /// The namespace this instance serves.
    public let namespaceId: String
    /// The department that owns the namespace.
    public let departmentId: String

    init(host: HostTable, context: OpaquePointer?) {
        self.handle = ContextHandle(host: host, context: context)
        self.namespaceId = host.api.pointee.context_namespace_id(context).string
        self.departmentId = host.api.pointee.context_department_id(context).string
    }

    /// Writes a structured log line; the host tags it with the plugin id, namespace and department.
    /// Fields are sent in key order.
    public func log(_ level: LogLevel, _ message: String, fields: [String: String] = [:]) {
        let sorted = fields.sorted { $0.key < $1.key }
        var arena = ByteArena()
        let text = arena.append(message)
        let pairs = sorted.map { (arena.append($0.key), arena.append($0.value)) }
        arena.withStrings { str in
            let cFields = pairs.map { ac_field_t(key: str($0.0), value: str($0.1)) }
            cFields.withUnsafeBufferPointer { buffer in
                handle.host.api.pointee.log(handle.context, level.cValue, str(text), buffer.baseAddress, buffer.count)
            }
        }
    }

    /// Sends an HTTP request through the host's client, which rate-limits it
    /// per plugin per namespace and bounds its time. Blocks until the answer.
    ///
    /// Any HTTP status is a response, 4xx and 5xx included; only a request
    /// that got no answer throws.
    /// - Parameters:
    ///   - timeoutMs: 0 for the host's default; the host caps it anyway.
    /// - Throws: `HostError` when the host refused the request (rate limit,
    ///   bad URL) or got no answer (timeout, connection failure).
    public func http(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        timeoutMs: UInt32 = 0
    ) throws(HostError) -> HTTPResponse {
        var arena = ByteArena()
        let methodSlot = arena.append(method)
        let urlSlot = arena.append(url)
        let headerSlots = headers.map { (arena.append($0.name), arena.append($0.value)) }
        let bodySlot = arena.append(body)

        let outcome: Result<HTTPResponse, HostError> = arena.withStrings { str in
            let cHeaders = headerSlots.map { ac_field_t(key: str($0.0), value: str($0.1)) }
            return cHeaders.withUnsafeBufferPointer { headerBuffer in
                var request = ac_http_request_t()
                request.struct_size = UInt32(MemoryLayout<ac_http_request_t>.size)
                request.method = str(methodSlot)
                request.url = str(urlSlot)
                request.headers = headerBuffer.baseAddress
                request.header_count = headerBuffer.count
                request.body = str(bodySlot)
                request.timeout_ms = timeoutMs

                var responsePointer: UnsafeMutablePointer<ac_http_response_t>?
                let status = handle.host.api.pointee.http_request(handle.context, &request, &responsePointer)
                defer {
                    if let responsePointer { handle.host.api.pointee.http_response_free(responsePointer) }
                }
                guard let response = responsePointer?.pointee else {
                    return .failure(HostError(status: status == AC_OK ? AC_ERROR : status,
                                              message: "the host returned no response"))
                }
                guard status == AC_OK else {
                    return .failure(HostError(status: status, message: response.error.string))
                }
                return .success(HTTPResponse(copying: response))
            }
        }
        return try outcome.get()
    }

    /// The key-value store private to this plugin in this namespace, persisted by the host.
    public var keyValueStore: KeyValueStore { KeyValueStore(handle: handle) }
}

/// Log levels of the host's structured log (`ac_log_level_t`).
public enum LogLevel: Sendable, Hashable {
    case trace, debug, info, warning, error

    var cValue: ac_log_level_t {
        switch self {
        case .trace: AC_LOG_TRACE
        case .debug: AC_LOG_DEBUG
        case .info: AC_LOG_INFO
        case .warning: AC_LOG_WARNING
        case .error: AC_LOG_ERROR
        }
    }
}

/// An HTTP answer, copied out of the host's response (which the SDK frees at once).
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public let status: Int
    /// In the order the host gave them; names as received.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    /// True for a 2xx status.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    init(copying response: ac_http_response_t) {
        self.status = Int(response.status)
        var headers: [(name: String, value: String)] = []
        if let fields = response.headers {
            for index in 0..<response.header_count {
                headers.append((fields[index].key.string, fields[index].value.string))
            }
        }
        self.headers = headers
        self.body = response.body.bytes
    }
}

/// The per-(plugin, namespace) key-value store. Keys are at most 256 bytes,
/// values at most 64 KiB. Calls may block briefly (a database write).
public struct KeyValueStore: Sendable {
    let handle: ContextHandle

    /// The value stored under `key`, or nil when there is none.
    /// - Throws: `HostError` when the store failed.
    public func value(forKey key: String) throws(HostError) -> [UInt8]? {
        var arena = ByteArena()
        let keySlot = arena.append(key)
        let outcome: Result<[UInt8]?, HostError> = arena.withStrings { str in
            var buffer: UnsafeMutablePointer<ac_buffer_t>?
            let status = handle.host.api.pointee.kv_get(handle.context, str(keySlot), &buffer)
            defer {
                if let buffer { handle.host.api.pointee.buffer_free(buffer) }
            }
            if status == AC_ERR_NOT_FOUND { return .success(nil) }
            guard status == AC_OK else { return .failure(HostError(status: status, message: "kv_get '\(key)' failed")) }
            return .success(buffer?.pointee.data.bytes ?? [])
        }
        return try outcome.get()
    }

    /// The value stored under `key` decoded as UTF-8, or nil when there is none.
    public func string(forKey key: String) throws(HostError) -> String? {
        try value(forKey: key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Stores `value` under `key`, replacing any previous value.
    /// - Throws: `HostError` when the store refused (size limits) or failed.
    public func set(_ value: [UInt8], forKey key: String) throws(HostError) {
        var arena = ByteArena()
        let keySlot = arena.append(key)
        let valueSlot = arena.append(value)
        let status = arena.withStrings { str in
            handle.host.api.pointee.kv_set(handle.context, str(keySlot), str(valueSlot))
        }
        guard status == AC_OK else { throw HostError(status: status, message: "kv_set '\(key)' failed") }
    }

    /// Stores a string under `key` as UTF-8.
    public func set(_ value: String, forKey key: String) throws(HostError) {
        try set(Array(value.utf8), forKey: key)
    }

    /// Removes `key`. Returns false when there was no such key.
    @discardableResult
    public func removeValue(forKey key: String) throws(HostError) -> Bool {
        var arena = ByteArena()
        let keySlot = arena.append(key)
        let status = arena.withStrings { str in
            handle.host.api.pointee.kv_delete(handle.context, str(keySlot))
        }
        if status == AC_ERR_NOT_FOUND { return false }
        guard status == AC_OK else { throw HostError(status: status, message: "kv_delete '\(key)' failed") }
        return true
    }
}

/// The host table and the instance's `ac_context_t`.
///
/// `@unchecked Sendable`: the context is a host object that stays valid until
/// the instance is destroyed, and the ABI makes every host function taking it
/// thread-safe (agentcore_plugin.h, THREADS); the plugin never dereferences it.
struct ContextHandle: @unchecked Sendable {
    let host: HostTable
    let context: OpaquePointer?
}

/// Collects several strings into one buffer so that a C call can borrow them
/// all at once as `ac_str_t` views.
struct ByteArena {
    struct Slot {
        let offset: Int
        let count: Int
    }

    private var storage: [UInt8] = []

    mutating func append(_ string: String) -> Slot {
        append(Array(string.utf8))
    }

    mutating func append(_ bytes: [UInt8]) -> Slot {
        let slot = Slot(offset: storage.count, count: bytes.count)
        storage.append(contentsOf: bytes)
        return slot
    }

    /// Calls `body` with a function that turns a slot into a borrowed `ac_str_t`,
    /// valid until `body` returns.
    func withStrings<R>(_ body: ((Slot) -> ac_str_t) -> R) -> R {
        storage.withUnsafeBufferPointer { buffer in
            body { slot in
                guard slot.count > 0, let base = buffer.baseAddress else { return ac_str_t(ptr: nil, len: 0) }
                return ac_str_t(UnsafeBufferPointer(start: base + slot.offset, count: slot.count))
            }
        }
    }
}
