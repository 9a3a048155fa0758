/// The product events a shop can subscribe its webhook endpoints to (DESIGN.md §10), each
/// caused by one product transition.
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    case awaitingSelection = "product.awaiting_selection"
    case readyForSale = "product.ready_for_sale"
    case failed = "product.failed"
    case cancelled = "product.cancelled"

    /// The event a move to `status` causes; nil for statuses no shop is told about.
    public init?(_ status: ProductStatus) {
        switch status {
        case .awaitingSelection: self = .awaitingSelection
        case .readyForSale: self = .readyForSale
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        case .draft, .generatingDesigns, .generatingMockups: return nil
        }
    }
}
