import Foundation
import HTTPTransport

/// The storefront's script for one product: create, (regenerate), select, (re-select),
/// waiting on the status board in between. Problems are collected, not thrown: the
/// invariant checks judge the outcome; these say what a shopper would have seen.
struct ProductFlows: Sendable {
    let storefront: Storefront
    let board: StatusBoard
    let keys: [String]
    let runID: String
    let deadline: ContinuousClock.Instant

    struct Outcome: Sendable {
        var plan: ProductPlan
        var productID: UUID?
        /// Products made from this product's design through the library.
        var libraryProducts: [UUID] = []
        var problems: [String] = []
    }

    func run(_ plan: ProductPlan) async -> Outcome {
        var outcome = Outcome(plan: plan)
        do {
            try await drive(plan, &outcome)
        } catch {
            outcome.problems.append("product #\(plan.index) \(outcome.productID?.uuidString.lowercased() ?? "-"): \(error)")
        }
        return outcome
    }

    private func drive(_ plan: ProductPlan, _ outcome: inout Outcome) async throws {
        let key = keys[plan.owner]
        let body = try json(["prompt": plan.prompt, "product_type": plan.productType, "shirt_color": plan.shirtColor, "candidates": plan.candidates])
        let created = try await storefront.call(.post, "/v1/products", apiKey: key, json: body, idempotencyKey: "soak-\(runID)-\(plan.index)")
        guard (200..<300).contains(created.status), let idText = created.object["id"] as? String, let id = UUID(uuidString: idText) else {
            throw Storefront.Refused(status: created.status, body: "\(created.object)")
        }
        outcome.productID = id

        guard var state = await waitFor(id, "awaiting_selection or failed", { ["awaiting_selection", "failed"].contains($0.status) }) else { return }
        if state.status == "failed" { return }

        if plan.regenerate {
            let answer = try await storefront.call(.post, "/v1/products/\(idText)/regenerate", apiKey: key, json: #"{"feedback":"bolder outlines, fewer colours"}"#)
            // 409 after a retry whose first try went through: the regeneration is running.
            if !(200..<300).contains(answer.status), answer.status != 409 {
                throw Storefront.Refused(status: answer.status, body: "regenerate: \(answer.object)")
            }
            guard let regenerated = await waitFor(id, "the regenerated designs", {
                $0.status == "failed" || ($0.iteration >= 2 && $0.status == "awaiting_selection")
            }) else { return }
            state = regenerated
            if state.status == "failed" { return }
        }

        let designs = try await storefront.call(.get, "/v1/products/\(idText)/designs", apiKey: key)
        let candidates = (designs.object["candidates"] as? [[String: Any]] ?? []).filter { $0["iteration"] as? Int == state.iteration }
        let originals = candidates.compactMap { candidate in
            (candidate["variants"] as? [[String: Any]])?.first { $0["variant"] as? String == "original" }?["asset_id"] as? String
        }.shuffled()
        guard let first = originals.first else {
            throw Storefront.Refused(status: designs.status, body: "no candidates of iteration \(state.iteration) to select: \(designs.object)")
        }
        var version = try await select(id, first, key)
        if plan.reselect == .whileMockupsRun, let second = originals.dropFirst().first {
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...1500)))
            version = try await select(id, second, key)
        }
        guard let ready = await waitFor(id, "ready_for_sale of selection \(version)", {
            $0.status == "failed" || ($0.status == "ready_for_sale" && $0.selectionVersion >= version)
        }) else { return }
        if plan.reselect == .afterReady, ready.status == "ready_for_sale", let second = originals.dropFirst().first {
            version = try await select(id, second, key)
            _ = await waitFor(id, "ready_for_sale of re-selection \(version)", {
                $0.status == "failed" || ($0.status == "ready_for_sale" && $0.selectionVersion >= version)
            })
        }
        // The storefront shows what it sells: the gallery of three.
        if board[id]?.status == "ready_for_sale" {
            let gallery = try await storefront.call(.get, "/v1/products/\(idText)/gallery", apiKey: key)
            let slots = gallery.object["slots"] as? [[String: Any]] ?? []
            guard gallery.status == 200, slots.count == 3 else {
                throw Storefront.Refused(status: gallery.status, body: "gallery of a ready product: \(gallery.object)")
            }
            if plan.library { try await reuse(plan, id, key, &outcome) }
        }
    }

    /// The shop saves the ready design to its library and puts it on two other garments in
    /// one idempotent batch request (retried on a dropped answer: the key makes it once);
    /// each of those must reach `ready_for_sale` with a gallery of three, without a design job.
    private func reuse(_ plan: ProductPlan, _ product: UUID, _ key: String, _ outcome: inout Outcome) async throws {
        let idText = product.uuidString.lowercased()
        let saved = try await storefront.call(.post, "/v1/library/designs", apiKey: key,
                                              json: try json(["product_id": idText, "name": "soak emblem #\(plan.index)"]))
        // 409: re-selected meanwhile (no selected design to save): nothing to reuse.
        if saved.status == 409 { return }
        guard saved.status == 201, let design = saved.object["id"] as? String else {
            throw Storefront.Refused(status: saved.status, body: "save to library: \(saved.object)")
        }
        let others = ProductPlan.productTypes.filter { $0 != plan.productType }.prefix(2)
        let items = others.map { ["product_type": $0, "shirt_color": "black"] }
        let batch = try await storefront.call(.post, "/v1/library/designs/\(design)/products", apiKey: key,
                                              json: try json(["items": items]), idempotencyKey: "soak-\(runID)-\(plan.index)-library")
        guard batch.status == 200, let answers = batch.object["items"] as? [[String: Any]] else {
            throw Storefront.Refused(status: batch.status, body: "library batch: \(batch.object)")
        }
        let made = answers.compactMap { ($0["product"] as? [String: Any])?["id"] as? String }.compactMap(UUID.init(uuidString:))
        guard made.count == items.count else { throw Storefront.Refused(status: batch.status, body: "library batch refused: \(answers)") }
        outcome.libraryProducts = made
        for reused in made {
            guard let state = await waitFor(reused, "ready_for_sale of a library product", { ["ready_for_sale", "failed"].contains($0.status) }),
                  state.status == "ready_for_sale" else {
                throw Storefront.Refused(status: 0, body: "library product \(reused.uuidString.lowercased()) did not become ready_for_sale")
            }
            let gallery = try await storefront.call(.get, "/v1/products/\(reused.uuidString.lowercased())/gallery", apiKey: key)
            guard gallery.status == 200, (gallery.object["slots"] as? [[String: Any]] ?? []).count == 3 else {
                throw Storefront.Refused(status: gallery.status, body: "gallery of a library product: \(gallery.object)")
            }
        }
    }

    /// Selects `asset`; returns the selection version the intake answered with.
    private func select(_ product: UUID, _ asset: String, _ key: String) async throws -> Int {
        let answer = try await storefront.call(
            .post, "/v1/products/\(product.uuidString.lowercased())/selection", apiKey: key, json: #"{"asset_id":"\#(asset)"}"#)
        guard (200..<300).contains(answer.status), let version = answer.object["selection_version"] as? Int else {
            throw Storefront.Refused(status: answer.status, body: "selection: \(answer.object)")
        }
        return version
    }

    private func waitFor(_ product: UUID, _ what: String, _ condition: (StatusBoard.Entry) -> Bool) async -> StatusBoard.Entry? {
        await board.wait(for: product, until: deadline, condition)
    }

    private func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
