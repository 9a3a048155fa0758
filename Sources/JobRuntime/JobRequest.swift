public import Foundation
public import Postgres

/// A job to enqueue: a `jobs` row and the outbox row carrying its message, written in the
/// caller's transaction.
public struct JobRequest: Sendable {
    public var kind: String
    public var queue: Topology.WorkQueue
    public var payload: Data
    public var productID: UUID?
    public var iteration: Int?
    public var selectionVersion: Int?
    public var maxAttempts: Int
    public var id: UUID

    public init(
        kind: String, queue: Topology.WorkQueue, payload: Data, productID: UUID? = nil, iteration: Int? = nil,
        selectionVersion: Int? = nil, maxAttempts: Int = 5, id: UUID = UUID()
    ) {
        self.kind = kind
        self.queue = queue
        self.payload = payload
        self.productID = productID
        self.iteration = iteration
        self.selectionVersion = selectionVersion
        self.maxAttempts = maxAttempts
        self.id = id
    }

    /// Inserts the job and its message. Returns the job id.
    @discardableResult
    public func enqueue(on connection: PostgresConnection) throws -> UUID {
        try insertJobRow(on: connection)
        try message().insert(on: connection)
        return id
    }

    /// Inserts only the `jobs` row, for callers that publish the job's message their own way
    /// (events go to the topic exchange); they must write that outbox row in the same transaction.
    public func insertJobRow(on connection: PostgresConnection) throws {
        let payloadJSON = PostgresJSON(text: String(decoding: payload, as: UTF8.self))
        try connection.execute("""
            INSERT INTO jobs (id, kind, queue, product_id, payload, schema_version, iteration, selection_version, max_attempts)
            VALUES (\(id), \(kind), \(queue.name), \(productID), \(payloadJSON)::jsonb, \(JobEnvelope.currentSchemaVersion),
                    \(iteration), \(selectionVersion), \(maxAttempts))
            """)
    }

    /// The outbox message that carries this job to its queue.
    public func message() throws -> OutboxMessage {
        let envelope = JobEnvelope(jobID: id, kind: kind, payload: payload)
        return OutboxMessage(
            exchange: Topology.jobsExchange, routingKey: queue.name, body: try envelope.encoded(),
            headers: ["x-itp-kind": kind, "x-itp-job-id": id.uuidString.lowercased()], jobID: id)
    }
}
