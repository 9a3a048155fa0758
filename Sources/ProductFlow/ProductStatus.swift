/// A product's lifecycle, identical to the `product_status` Postgres enum. Every legal
/// transition is in ``canTransition(to:)``; code changing a status asks it first.
public enum ProductStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case generatingDesigns = "generating_designs"
    case awaitingSelection = "awaiting_selection"
    case generatingMockups = "generating_mockups"
    case readyForSale = "ready_for_sale"
    case failed
    case cancelled

    /// Failed and cancelled products take no more work; a failed one comes back only by an
    /// operator's replay of the dead job that failed it (`draft` for a design job,
    /// `generating_mockups` for a mockup job) or by a re-selection of one of its designs.
    public var isTerminal: Bool { self == .failed || self == .cancelled }

    public func canTransition(to next: ProductStatus) -> Bool {
        switch (self, next) {
        case (.draft, .generatingDesigns),
             (.generatingDesigns, .awaitingSelection),
             // Regenerate with feedback: a new iteration from the selection screen.
             (.awaitingSelection, .generatingDesigns),
             (.awaitingSelection, .generatingMockups),
             // A product made from a library design: its design is selected at creation.
             (.draft, .generatingMockups),
             (.generatingMockups, .readyForSale),
             // Re-selection while mockups run, or after the product is ready.
             (.generatingMockups, .generatingMockups),
             (.readyForSale, .generatingMockups):
            true
        // A dead design job can fail a product that has not reached selection.
        case (.draft, .failed), (.generatingDesigns, .failed), (.generatingMockups, .failed):
            true
        case (let from, .cancelled) where !from.isTerminal:
            true
        // An operator replays the dead design job that failed it (`itp-admin dlq replay`,
        // which re-reserves the refunded credits in the same transaction).
        case (.failed, .draft):
            true
        // The same for a dead mockup job, or the shopper re-selecting a design of the failed
        // product (both re-reserve the refunded credits in the same transaction).
        case (.failed, .generatingMockups):
            true
        default:
            false
        }
    }
}
