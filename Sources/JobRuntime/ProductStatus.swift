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

    public var isTerminal: Bool { self == .failed || self == .cancelled }

    public func canTransition(to next: ProductStatus) -> Bool {
        switch (self, next) {
        case (.draft, .generatingDesigns),
             (.generatingDesigns, .awaitingSelection),
             // Regenerate with feedback: a new iteration from the selection screen.
             (.awaitingSelection, .generatingDesigns),
             (.awaitingSelection, .generatingMockups),
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
        default:
            false
        }
    }
}
