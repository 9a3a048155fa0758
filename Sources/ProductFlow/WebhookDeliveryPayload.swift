public import Foundation

/// The payload of a `webhook.deliver` job: which delivery to send. Everything else (the
/// endpoint, its secret, the event) is read when the attempt runs, so a rotated secret or a
/// deleted endpoint takes effect on the next attempt.
public struct WebhookDeliveryPayload: Codable, Sendable, Equatable {
    public var deliveryID: UUID

    public init(deliveryID: UUID) {
        self.deliveryID = deliveryID
    }

    private enum CodingKeys: String, CodingKey {
        case deliveryID = "delivery_id"
    }
}
