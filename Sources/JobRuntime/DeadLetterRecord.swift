public import AMQP
public import Foundation
import Postgres

/// One dead-lettered message as recorded in `dead_letters`.
public struct DeadLetterRecord: Sendable {
    public var queue: String
    public var originalQueue: String
    public var messageID: String?
    /// The message a worker's dead-letter copy replaces, when it names one.
    public var originalMessageID: String?
    public var jobID: UUID?
    public var jobKind: String?
    public var reason: String
    public var errorClass: ErrorClass?
    public var failureStage: String?
    public var headersJSON: String
    public var body: [UInt8]

    public init(_ delivery: AMQPDelivery, deadLetterQueue: String, workQueue: String) {
        let headers = delivery.properties.headers
        queue = deadLetterQueue
        originalQueue = headers["x-itp-queue"]?.stringValue ?? headers["x-first-death-queue"]?.stringValue ?? workQueue
        messageID = delivery.properties.messageID
        originalMessageID = headers["x-itp-original-message-id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        body = delivery.body
        let envelopeID = (try? JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])?["job_id"] as? String
        jobID = [headers["x-itp-job-id"]?.stringValue, delivery.properties.correlationID, envelopeID]
            .compactMap { $0.flatMap(UUID.init(uuidString:)) }.first
        jobKind = headers["x-itp-kind"]?.stringValue
        errorClass = headers["x-itp-error-class"]?.stringValue.flatMap(ErrorClass.init(rawValue:))
        failureStage = headers["x-itp-failure-stage"]?.stringValue
        if let reason = headers["x-itp-reason"]?.stringValue {
            self.reason = reason
        } else if let brokerReason = headers["x-first-death-reason"]?.stringValue {
            // The broker dead-lettered it: delivery_limit means it crashed its workers every time.
            self.reason = brokerReason == "delivery_limit"
                ? "poison message: the delivery limit was reached (it never completed on any worker)"
                : "dead-lettered by the broker: \(brokerReason)"
            failureStage = failureStage ?? "broker_\(brokerReason)"
        } else {
            self.reason = "dead-lettered without a recorded reason"
        }
        headersJSON = DeadLetterRecord.json(headers)
    }

    /// What makes two deliveries one dead letter. A worker's dead-letter copy names the
    /// message it replaces (`x-itp-original-message-id`): a worker that dies between writing
    /// the copy and acking the original writes a second copy, with a message id of its own,
    /// for the same original — one dead letter, not two. Otherwise the message id (a message
    /// without one: its body's hash, added in SQL).
    var dedupeKey: String {
        if let original = originalMessageID { return "\(queue):original:\(original)" }
        return "\(queue):\(messageID ?? "")"
    }

    /// Inserts the record and marks its job dead. Returns false when it was already recorded.
    func insert(on connection: PostgresConnection) throws -> Bool {
        let dedupe = dedupeKey
        let headers = PostgresJSON(text: headersJSON)
        let rows = try connection.query("""
            INSERT INTO dead_letters (dedupe_key, queue, original_queue, message_id, job_id, job_kind, product_id,
                                      reason, error_class, failure_stage, headers, body)
            SELECT CASE WHEN \(messageID)::text IS NULL AND \(originalMessageID)::text IS NULL THEN \(dedupe) || encode(sha256(\(body)::bytea), 'hex') ELSE \(dedupe) END,
                   \(queue), \(originalQueue), \(messageID), j.id, COALESCE(\(jobKind), j.kind), j.product_id,
                   \(reason), \(errorClass?.rawValue)::error_class, \(failureStage), \(headers)::jsonb, \(body)
            FROM (SELECT 1) AS one LEFT JOIN jobs j ON j.id = \(jobID)
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """)
        guard !rows.isEmpty else { return false }
        if let jobID {
            try JobTransition.killDeadLettered(jobID, reason: reason, errorClass: errorClass, failureStage: failureStage, on: connection)
        }
        return true
    }

    private static func json(_ table: AMQPTable) -> String {
        func convert(_ value: AMQPValue) -> Any {
            switch value {
            case .string(let string): string
            case .int(let int): int
            case .bool(let bool): bool
            case .double(let double): double.isFinite ? double : String(describing: double)
            case .timestamp(let seconds): seconds
            case .bytes(let bytes): bytes.map { String(format: "%02x", $0) }.joined()
            case .table(let nested): Dictionary(nested.entries.map { ($0.key, convert($0.value)) }, uniquingKeysWith: { $1 })
            case .array(let values): values.map(convert)
            case .void: NSNull()
            }
        }
        let object = Dictionary(table.entries.map { ($0.key, convert($0.value)) }, uniquingKeysWith: { $1 })
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
