import PluginNative
import PluginWire
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Host services inside a plugin-host child: each request goes to the server on the socket of
/// the call running on the calling thread, and the thread waits for the answer there. The
/// server applies the same rate limits and scoping as for in-process plugins.
final class RelayHostServices: NativeHostServices {
    /// The socket each serving thread owns, by pthread id.
    private let channels = Mutex<[UInt: WireChannel]>([:])

    func bind(_ channel: WireChannel) {
        channels.withLock { $0[UInt(pthread_self())] = channel }
    }

    private var current: WireChannel? {
        channels.withLock { $0[UInt(pthread_self())] }
    }

    func log(_ context: NativeContext, level: NativeLogLevel, message: String, fields: [(key: String, value: String)]) {
        guard let channel = current else {
            // A thread the plugin started itself: there is no call to carry the line.
            PluginHostProcess.report("[\(level)] \(message)")
            return
        }
        PluginHostProcess.send(.log(level: level.rawValue, message: message, fields: fields), on: channel)
    }

    func httpRequest(_ context: NativeContext, _ request: NativeHTTPRequest) -> NativeHTTPResponse {
        guard let channel = current else {
            return NativeHTTPResponse(status: .unsupported, error: "host services are available only inside create or a hook call")
        }
        PluginHostProcess.send(.httpRequest(request), on: channel)
        switch receive(on: channel) {
        case .httpResponse(let response): return response
        default: return NativeHTTPResponse(status: .error, error: "the server answered an HTTP request with another frame")
        }
    }

    func keyValueGet(_ context: NativeContext, key: [UInt8]) -> (NativeStatus, [UInt8]?) {
        keyValue(.keyValueGet(key: key))
    }

    func keyValueSet(_ context: NativeContext, key: [UInt8], value: [UInt8]) -> NativeStatus {
        keyValue(.keyValueSet(key: key, value: value)).0
    }

    func keyValueDelete(_ context: NativeContext, key: [UInt8]) -> NativeStatus {
        keyValue(.keyValueDelete(key: key)).0
    }

    private func keyValue(_ request: ChildMessage) -> (NativeStatus, [UInt8]?) {
        guard let channel = current else { return (.unsupported, nil) }
        PluginHostProcess.send(request, on: channel)
        switch receive(on: channel) {
        case .keyValueResult(let status, let value): return (NativeStatus(rawValue: status) ?? .error, value)
        default: return (.error, nil)
        }
    }

    private func receive(on channel: WireChannel) -> ServerMessage? {
        do throws(WireError) {
            let frame = try channel.receive()
            return try ServerMessage(kind: frame.kind, payload: frame.payload)
        } catch .closed {
            _exit(0)
        } catch {
            PluginHostProcess.report("bad answer from the server: \(error)")
            _exit(65)
        }
    }
}
