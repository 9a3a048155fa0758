public import Foundation
import JobRuntime
public import Postgres

/// Events the workers send to the finalizer through the outbox (topic exchange
/// `itp.events`, bound to the `finalizer.events` queue). The finalizer treats them as
/// hints and always re-reads the database, so a lost or duplicated event is harmless.
public struct FleetEvent: Codable, Sendable, Equatable {
    public enum Name: String, Codable, Sendable {
        /// No longer sent (the design job's commit moves the product itself); still decoded,
        /// for events enqueued by older workers.
        case designsGenerated = "design.generated"
        /// A mockup was activated: the product may be ready for sale.
        case mockupCompleted = "mockup.completed"
        /// No longer sent (the finalizer's dead-job hook settles the product in the transaction
        /// that records the failure); still decoded, for events enqueued by older workers.
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

    /// Sends the event to the finalizer from inside the caller's transaction: a `jobs` row of
    /// kind `finalizer.event` (so claiming, retries and dead-lettering work as for any job)
    /// and its outbox row, published to the topic exchange under the event's name.
    @discardableResult
    public func enqueue(on connection: PostgresConnection) throws -> UUID {
        let request = JobRequest(
            kind: FleetEvent.jobKind, queue: ProductQueues.finalizerEvents, payload: try JSONEncoder().encode(self),
            productID: productID, iteration: iteration, selectionVersion: selectionVersion, maxAttempts: 10)
        try request.insertJobRow(on: connection)
        try message(jobID: request.id).insert(on: connection)
        return request.id
    }

    func message(jobID: UUID) throws -> OutboxMessage {
        let envelope = JobEnvelope(jobID: jobID, kind: FleetEvent.jobKind, payload: try JSONEncoder().encode(self))
        return OutboxMessage(
            exchange: Topology.eventsExchange, routingKey: name.rawValue, body: try envelope.encoded(),
            headers: ["x-itp-kind": FleetEvent.jobKind, "x-itp-event": name.rawValue, "x-itp-job-id": jobID.uuidString.lowercased()],
            jobID: jobID)
    }

    public static let jobKind = "finalizer.event"
}
