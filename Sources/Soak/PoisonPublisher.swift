import AMQP
import Foundation
import JobRuntime
import Logging
import ProductFlow

/// Publishes malformed messages straight to the work queues (default exchange, routing key
/// = queue), each with a message id the checks look for among the dead letters.
struct PoisonPublisher: Sendable {
    let amqpURL: String
    let runID: String

    /// The queues and the job kind each takes (for the well-formed-but-wrong variants).
    static let targets: [(queue: String, kind: String)] = [
        (ProductQueues.designGenerate.name, "design.generate"), (ProductQueues.mockupFlatLay.name, "mockup.flat_lay"),
        (ProductQueues.mockupMrImagine.name, "mockup.mr_imagine"), (ProductQueues.finalizerEvents.name, "finalizer.event"),
    ]

    enum Outcome {
        /// Confirmed by the broker: it must be dead-lettered exactly once.
        case confirmed(String)
        /// Not confirmed (the broker failed meanwhile): it may or may not have arrived.
        case uncertain(String)
        /// No connection: nothing was sent.
        case notPublished
    }

    /// Publishes poison number `index`: its shape and target rotate through the variants.
    func publish(_ index: Int) async -> Outcome {
        let target = Self.targets[index % Self.targets.count]
        let messageID = "soak-poison-\(runID)-\(index)"
        let body: String
        var correlationID: String?
        switch (index / Self.targets.count) % 6 {
        case 0: body = "soak poison \(index): this is not JSON {{{"
        case 1: body = "[\"soak poison\", \(index)]"
        case 2: body = #"{"job_id":"\#(UUID().uuidString.lowercased())","kind":"\#(target.kind)","payload":{}}"#
        case 3: body = #"{"schema_version":1,"job_id":"\#(UUID().uuidString.lowercased())","kind":"soak.unknown_kind","payload":{}}"#
        case 4:
            // Well formed, but for a job no database knows.
            let job = UUID().uuidString.lowercased()
            correlationID = job
            body = #"{"schema_version":1,"job_id":"\#(job)","kind":"\#(target.kind)","payload":{"soak_poison":\#(index)}}"#
        default: body = #"{"schema_version":1,"job_id":"\#(UUID().uuidString.lowercased())","kind":"\#(target.kind)","payload":"not an object"}"#
        }
        var logger = Logger(label: "itp-soak.poison")
        logger.logLevel = .critical
        let connection: AMQPConnection
        do {
            connection = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: amqpURL), logger: logger)
        } catch {
            return .notPublished
        }
        do {
            try await connection.publish(
                exchange: "", routingKey: target.queue, body: Array(body.utf8),
                properties: AMQPProperties(contentType: "application/json", messageID: messageID, correlationID: correlationID),
                timeout: .seconds(10))
            await connection.close()
            return .confirmed(messageID)
        } catch {
            await connection.close()
            return .uncertain(messageID)
        }
    }
}
