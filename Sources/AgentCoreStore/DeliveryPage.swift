/// One page of a namespace's event deliveries.
public struct DeliveryPage: Sendable {
    public var deliveries: [EventDeliveryRecord]
    /// Pass to the next call to continue after this page; nil when this was the last.
    public var nextCursor: Int64?

    public init(deliveries: [EventDeliveryRecord], nextCursor: Int64?) {
        self.deliveries = deliveries
        self.nextCursor = nextCursor
    }
}
