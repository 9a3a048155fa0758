import Testing
import ProductFlow

@Suite struct ProductStatusTests {
    @Test func productFlowIncludingReselectionAndRegeneration() {
        let path: [ProductStatus] = [
            .draft, .generatingDesigns, .awaitingSelection, .generatingDesigns, .awaitingSelection,
            .generatingMockups, .readyForSale, .generatingMockups, .readyForSale,
        ]
        for (from, to) in zip(path, path.dropFirst()) {
            #expect(from.canTransition(to: to), "\(from) → \(to)")
        }
    }

    @Test func aLibraryProductGoesFromDraftStraightToItsMockups() {
        let path: [ProductStatus] = [.draft, .generatingMockups, .readyForSale, .generatingMockups, .readyForSale]
        for (from, to) in zip(path, path.dropFirst()) {
            #expect(from.canTransition(to: to), "\(from) → \(to)")
        }
        #expect(!ProductStatus.draft.canTransition(to: .awaitingSelection))
    }

    @Test func productIllegalTransitionsAreRefused() {
        #expect(!ProductStatus.draft.canTransition(to: .readyForSale))
        #expect(!ProductStatus.generatingDesigns.canTransition(to: .generatingMockups))
        #expect(!ProductStatus.readyForSale.canTransition(to: .failed))
        #expect(!ProductStatus.readyForSale.canTransition(to: .awaitingSelection))
        for terminal in [ProductStatus.failed, .cancelled] {
            for to in ProductStatus.allCases {
                // The ways back (issue 13 added the second): a replay of the dead design job
                // (→ draft), or of the dead mockup job / a re-selection (→ generating_mockups).
                let replay = terminal == .failed && (to == .draft || to == .generatingMockups)
                #expect(terminal.canTransition(to: to) == replay, "\(terminal) → \(to)")
            }
        }
        for status in ProductStatus.allCases where !status.isTerminal {
            #expect(status.canTransition(to: .cancelled))
        }
    }

    @Test func productStatusMatchesThePostgresVocabulary() {
        #expect(ProductStatus.allCases.map(\.rawValue) == [
            "draft", "generating_designs", "awaiting_selection", "generating_mockups", "ready_for_sale", "failed", "cancelled",
        ])
    }
}
