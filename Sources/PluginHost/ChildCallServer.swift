import PluginNative
import PluginWire
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Serves the server's calls on the child's sockets: keeps the instances by the ids the server
/// gave them and runs each request on the thread that owns the socket it came on.
final class ChildCallServer: Sendable {
    private let plugin: NativePlugin
    private let relay = RelayHostServices()
    private let instances = Mutex<[UInt64: (instance: NativeInstance, context: NativeContext)]>([:])

    init(plugin: NativePlugin) {
        self.plugin = plugin
    }

    /// Answers requests on `channel` until it closes, then ends the process.
    static let idleSpin: Duration = .microseconds(50)

    func serve(_ channel: WireChannel) -> Never {
        relay.bind(channel)
        // A caller that sends calls back to back gets the next one read without a wake-up; the
        // spin is kept up only while the calls come that close together, so a child serving
        // sparse calls (or one of many children on a busy server) does not burn a core.
        var spin = true
        while true {
            let message: ServerMessage
            do throws(WireError) {
                let waitingSince = ContinuousClock.now
                let frame = try channel.receive(spin: spin ? Self.idleSpin : .zero)
                spin = waitingSince.duration(to: .now) < Self.idleSpin * 2
                message = try ServerMessage(kind: frame.kind, payload: frame.payload)
            } catch .closed {
                _exit(0)
            } catch {
                PluginHostProcess.report("bad request from the server: \(error)")
                _exit(65)
            }
            PluginHostProcess.send(answer(message), on: channel)
        }
    }

    private func answer(_ message: ServerMessage) -> ChildMessage {
        switch message {
        case .create(let instanceId, let namespaceId, let departmentId, let config):
            let context = NativeContext(
                pluginId: plugin.descriptor.id ?? "", namespaceId: namespaceId, departmentId: departmentId, services: relay
            )
            let outcome = plugin.create(context: context, config: config)
            if outcome.status.isSuccess {
                instances.withLock { $0[instanceId] = (outcome.instance, context) }
            }
            return .created(status: outcome.rawStatus, error: outcome.error)
        case .destroy(let instanceId):
            if let entry = instances.withLock({ $0.removeValue(forKey: instanceId) }) {
                plugin.destroy(entry.instance)
                withExtendedLifetime(entry.context) {}
            }
            return .destroyed
        case .hook(let instanceId, let hook, let toolName, let input):
            guard let entry = instances.withLock({ $0[instanceId] }) else {
                return .result(status: NativeStatus.notFound.rawValue, output: nil, error: "instance \(instanceId) does not exist in this plugin host")
            }
            let outcome: NativeCallOutcome = switch hook {
            case .agentQuery: plugin.agentQuery(entry.instance, query: String(decoding: input, as: UTF8.self))
            case .approvalCreated: plugin.approvalCreated(entry.instance, event: input)
            case .documentReady: plugin.documentReady(entry.instance, event: input)
            case .toolInvoke: plugin.invokeTool(entry.instance, name: toolName, input: input)
            }
            return .result(status: outcome.rawStatus, output: outcome.output, error: outcome.error)
        case .typedCall(let tool, let arguments):
            guard let function = plugin.typedTools[tool] else { return .typedResult(nil, failure: "no typed tool \(tool)") }
            switch function.call(arguments) {
            case .success(let value): return .typedResult(value, failure: nil)
            case .failure(let failure): return .typedResult(nil, failure: failure.message)
            }
        case .httpResponse, .keyValueResult:
            return .result(status: NativeStatus.error.rawValue, output: nil, error: "unexpected answer frame outside a host service call")
        }
    }
}
