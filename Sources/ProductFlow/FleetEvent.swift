public import Foundation
public import JobRuntime

/// Events the workers send to the finalizer through the outbox (topic exchange
/// `itp.events`, bound to the `finalizer.events` queue). The finalizer treats them as
/// hints and always re-reads the database, so a lost or duplicated event is harmless.
public struct FleetEvent: Codable, Sendable, Equatable {
    public enum Name: String, Codable, Sendable {
        case designsGenerated = "design.generated"
        case mockupCompleted = "mockup.completed"
        case mockupFailed = "mockup.failed"
    }

    public var name: Name
    public var productID: UUID
    public var jobID: UUID?
    public var iteration: Int?
    public var selectionVersion: Int?
    public var assetRole: String?

    enum CodingKeys: String, CodingKey {
        case name, productID = "product_id", jobID = "job_id", iteration
        case selectionVersion = "selection_version", assetRole = "asset_role"
    }

    public init(name: Name, productID: UUID, jobID: UUID? = nil, iteration: Int? = nil, selectionVersion: Int? = nil, assetRole: String? = nil) {
        self.name = name
        self.productID = productID
        self.jobID = jobID
        self.iteration = iteration
        self.selectionVersion = selectionVersion
        self.assetRole = assetRole
    }

    /// The outbox message that carries this event. `finalizer.events` is a work queue of
    /// the runtime, so the event travels as the `finalizer.event` job kind's envelope.
    public func message() throws -> OutboxMessage {
        let envelope = JobEnvelope(jobID: UUID(), kind: FleetEvent.jobKind, payload: try JSONEncoder().encode(self))
        return OutboxMessage(
            exchange: Topology.eventsExchange, routingKey: name.rawValue, body: try envelope.encoded(),
            headers: ["x-itp-kind": FleetEvent.jobKind, "x-itp-event": name.rawValue])
    }

    public static let jobKind = "finalizer.event"
}
