public import AMQP

/// Tells whether the broker restarted since the last look, over plain AMQP: a non-durable
/// queue holding one transient message vanishes with a broker restart. Finding it empty
/// (or missing — declaring re-creates it) means a restart happened since it was last
/// filled, *or* that nobody ever filled it (a fresh broker, the first run of the plan).
/// The broker cannot tell the two apart; the plan's own history can: see
/// ``ScaleReadingStore/markerWasPlaced()``. A marker that was never made is not a restart.
public enum BrokerRestartMarker {
    public static let queue = "itp.admin.restart-marker"

    /// True when the marker was missing (and is now put back).
    /// Looks without touching it (a passive declare): whether the marker holds its message.
    /// For the console's scaling page, which must not put the marker back (the scheduled plan
    /// would then never see the restart).
    public static func present(on broker: AMQPConnection) async -> Bool {
        guard let declared = try? await broker.declareQueue(name: queue, passive: true) else { return false }
        return declared.messageCount > 0
    }

    public static func missing(on broker: AMQPConnection) async throws -> Bool {
        let declared = try await broker.declareQueue(name: queue, durable: false)
        guard declared.messageCount == 0 else { return false }
        try await broker.publish(
            exchange: "", routingKey: queue, body: Array("restart marker of itp-admin scale plan".utf8),
            properties: AMQPProperties(contentType: "text/plain", deliveryMode: 1))
        return true
    }
}
