/// One plugin install, the unit of delivery ordering: its deliveries go out one at a time, in
/// creation order, unless it opted into parallel delivery.
public struct DeliveryInstallKey: Sendable, Hashable, CustomStringConvertible {
    public var namespaceId: String
    public var pluginId: String

    public init(namespaceId: String, pluginId: String) {
        self.namespaceId = namespaceId
        self.pluginId = pluginId
    }

    public var description: String { "\(namespaceId)/\(pluginId)" }
}
