public import AssetImages
import Foundation
public import HTTPTransport
public import JobRuntime
public import Logging
public import Postgres
import ProductFlow
import Vocabulary

/// Sends one webhook delivery per `webhook.deliver` job: checks the destination, signs the
/// body, POSTs it through libcurl (timeout, no redirects, bounded response), records the
/// attempt, and classifies the answer for the job runtime:
///
/// - 2xx: delivered;
/// - 429: `rate_limited`, honouring `Retry-After`;
/// - 408, 5xx, timeouts and connection failures: `transient`, retried with backoff over hours;
/// - any other status (3xx included: redirects are not followed), a refused destination or
///   an oversized answer: `permanent`, dead-lettered at once (replayable with `itp-admin dlq replay`).
///
/// Each delivery is its own job, and a worker holds `prefetch` of them at once, so an
/// endpoint that hangs holds one slot for at most the timeout, never the others.
public struct WebhookDeliveryHandler: JobHandler {
    public let kinds: Set<String> = [JobKinds.webhookDeliver]

    let database: PostgresClient
    let client: HTTPClient
    let policy: DestinationPolicy
    let signer: ImageURLSigner
    let logger: Logger

    /// What a receiver's answer may weigh: enough for any status page, never a memory hazard.
    public static let maxResponseBytes = 64 * 1024

    public init(database: PostgresClient, client: HTTPClient, policy: DestinationPolicy, signer: ImageURLSigner, logger: Logger) {
        self.database = database
        self.client = client
        self.policy = policy
        self.signer = signer
        self.logger = logger
    }

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        let payload = try job.decodePayload(WebhookDeliveryPayload.self)
        guard let delivery = try await database.withConnection({ try WebhookDelivery.load(payload.deliveryID, on: $0) }) else {
            throw JobFailure(.permanent, "no webhook delivery \(payload.deliveryID)", stage: "load_delivery")
        }
        if delivery.endpointDeleted {
            return .superseded("the endpoint was deleted")
        }
        let startedAt = Date()
        let clock = ContinuousClock(), start = clock.now
        func record(status: Int?, error: String?) async throws {
            let elapsed = clock.now - start
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            try await database.withConnection {
                try WebhookDelivery.recordAttempt(
                    delivery.id, attempt: job.attempt, statusCode: status, error: error, latencyMilliseconds: milliseconds,
                    startedAt: startedAt, on: $0)
            }
        }

        let destination: DestinationPolicy.Destination
        do {
            destination = try await policy.checkOffPool(delivery.url)
        } catch {
            try await record(status: nil, error: "destination_refused")
            throw JobFailure(error.isRetriable ? .transient : .permanent, error.description, stage: "destination")
        }
        let body = try WebhookBody(
            eventID: delivery.eventID, type: delivery.eventType, createdAt: delivery.eventCreatedAt, data: delivery.data, signer: signer
        ).encoded()
        var request = HTTPRequest(method: .post, url: delivery.url, headers: [
            "Content-Type": "application/json",
            WebhookSignature.headerName: WebhookSignature.header(body: body, secret: delivery.secret, timestamp: Int(Date().timeIntervalSince1970)),
            "ITP-Event-ID": delivery.eventID.uuidString.lowercased(),
            "ITP-Event-Type": delivery.eventType,
            "ITP-Delivery-ID": delivery.id.uuidString.lowercased(),
        ], body: body)
        request.resolve = destination.address == destination.host ? [] : [destination.curlResolve]

        let response: HTTPResponse
        do {
            response = try await client.perform(request)
        } catch {
            let (reason, errorClass): (String, ErrorClass) = switch error.code {
            case .timeout, .connectTimeout: ("timeout", .transient)
            case .responseTooLarge: ("response_too_large", .permanent)
            default: ("connection_failed", .transient)
            }
            try await record(status: nil, error: reason)
            throw JobFailure(errorClass, "\(reason): \(error)", stage: "deliver")
        }
        try await record(status: response.status, error: nil)
        switch response.status {
        case 200..<300:
            logger.debug("webhook delivered", metadata: [LogKey.jobID: "\(job.id)", LogKey.jobAttempt: "\(job.attempt)"])
            return .succeeded { connection in
                try connection.execute("UPDATE webhook_deliveries SET delivered_at = now() WHERE id = \(delivery.id) AND delivered_at IS NULL")
            }
        case 429:
            // Honoured up to six hours (the runtime caps a wait there too).
            let seconds = response.retryAfterSeconds().map { min($0, 6 * 3600) }
            throw JobFailure(.rateLimited, "the receiver answered 429", stage: "deliver", retryAfter: seconds.map { .seconds($0) })
        case 408, 500...:
            throw JobFailure(.transient, "the receiver answered \(response.status)", stage: "deliver")
        default:
            throw JobFailure(.permanent, "the receiver answered \(response.status)", stage: "deliver")
        }
    }
}
