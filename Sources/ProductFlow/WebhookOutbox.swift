public import Foundation
import JobRuntime
public import Postgres

/// Writes webhook events and their deliveries inside the caller's transaction (the
/// transactional outbox of DESIGN.md §10): ``ProductTransition`` calls ``record(_:type:on:)``
/// for every move a shop can subscribe to, so an event exists exactly when its transition
/// committed. Each subscribed endpoint gets a `webhook_deliveries` row and a
/// `webhook.deliver` job whose message goes out through the outbox relay.
public enum WebhookOutbox {
    /// Attempts of a delivery before it is dead-lettered; with the worker's backoff (30 s
    /// doubling, capped at an hour) they span about seven hours.
    public static let maxAttempts = 12

    /// Records `type` for `productID` when its owner has endpoints subscribed to it; returns
    /// the event id, or nil when nobody listens (then nothing is written).
    @discardableResult
    public static func record(_ productID: UUID, type: WebhookEventType, on connection: PostgresConnection) throws -> UUID? {
        guard let row = try connection.query("""
            SELECT p.owner_id, p.status::text AS status, p.iteration, p.selection_version, p.failure_reason,
                   ARRAY(SELECT e.id FROM webhook_endpoints e
                          WHERE e.owner_id = p.owner_id AND e.deleted_at IS NULL AND \(type.rawValue) = ANY (e.event_types)
                          ORDER BY e.created_at) AS endpoints
            FROM products p WHERE p.id = \(productID)
            """).first else { return nil }
        let endpoints = try row.decode([UUID].self, column: "endpoints")
        guard !endpoints.isEmpty else { return nil }
        var data = WebhookEventData(
            productID: productID, status: try row.decode(String.self, column: "status"),
            iteration: try row.decode(Int.self, column: "iteration"),
            selectionVersion: try row.decode(Int.self, column: "selection_version"))
        switch type {
        case .readyForSale: data.gallery = try gallery(productID, on: connection)
        case .failed: data.failure = .init(internalReason: try row.decode(String?.self, column: "failure_reason"))
        case .awaitingSelection, .cancelled: break
        }
        let owner = try row.decode(UUID.self, column: "owner_id")
        let json = PostgresJSON(text: String(decoding: try JSONEncoder().encode(data), as: UTF8.self))
        let eventID = try connection.query("""
            INSERT INTO webhook_events (owner_id, product_id, type, data) VALUES (\(owner), \(productID), \(type.rawValue), \(json)::jsonb)
            RETURNING id
            """)[0].decode(UUID.self, column: "id")
        for endpoint in endpoints {
            try enqueueDelivery(event: eventID, endpoint: endpoint, on: connection)
        }
        return eventID
    }

    /// A delivery of `event` to `endpoint` and its job. `redeliveryOf` names the delivery a
    /// shop asked to send again. Returns the delivery id.
    @discardableResult
    public static func enqueueDelivery(event: UUID, endpoint: UUID, redeliveryOf: UUID? = nil, on connection: PostgresConnection) throws -> UUID {
        let deliveryID = UUID()
        let job = JobRequest(
            kind: JobKinds.webhookDeliver, queue: ProductQueues.webhookDeliver,
            payload: try JSONEncoder().encode(WebhookDeliveryPayload(deliveryID: deliveryID)), maxAttempts: maxAttempts)
        try job.enqueue(on: connection)
        try connection.execute("""
            INSERT INTO webhook_deliveries (id, event_id, endpoint_id, job_id, redelivery_of)
            VALUES (\(deliveryID), \(event), \(endpoint), \(job.id), \(redeliveryOf))
            """)
        return deliveryID
    }

    /// The storefront's display list as the gallery decides it: the primary design, the
    /// current selection's active flat-lay, and its active mr_imagine — or, when that failed,
    /// the flat-lay as its declared fallback.
    private static func gallery(_ productID: UUID, on connection: PostgresConnection) throws -> [WebhookEventData.GalleryItem] {
        guard let row = try connection.query("""
            SELECT (SELECT a.id FROM product_assets a
                     WHERE a.product_id = p.id AND a.is_primary_design AND a.is_active) AS design_id,
                   (SELECT a.id FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_flat_lay' AND a.is_active
                       AND a.selection_version = p.selection_version) AS flat_lay_id,
                   (SELECT a.id FROM product_assets a
                     WHERE a.product_id = p.id AND a.asset_role = 'mockup_mr_imagine' AND a.is_active
                       AND a.selection_version = p.selection_version) AS mr_imagine_id
            FROM products p WHERE p.id = \(productID)
            """).first else { return [] }
        let design = try row.decode(UUID?.self, column: "design_id")
        let flatLay = try row.decode(UUID?.self, column: "flat_lay_id")
        let mrImagine = try row.decode(UUID?.self, column: "mr_imagine_id")
        var items: [WebhookEventData.GalleryItem] = []
        if let design { items.append(.init(slot: "design", assetID: design)) }
        if let flatLay { items.append(.init(slot: "flat_lay", assetID: flatLay)) }
        if let mrImagine {
            items.append(.init(slot: "mr_imagine", assetID: mrImagine))
        } else if let shown = flatLay ?? design {
            items.append(.init(slot: "mr_imagine", assetID: shown, fallbackShows: flatLay != nil ? "flat_lay" : "design"))
        }
        return items
    }
}
