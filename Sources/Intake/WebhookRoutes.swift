import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import ProductFlow
import Webhooks

/// `/v1/webhook-endpoints`: a shop's endpoints (create, list, delete, rotate the secret),
/// their deliveries with every attempt, and redelivery. An owner sees only its own; anything
/// else is 404 like an id that does not exist.
struct WebhookRoutes: Sendable {
    typealias Context = IntakeRequestContext

    let database: PostgresClient
    let body: JSONBody
    let destinations: DestinationPolicy

    /// The most endpoints one owner may have (each event fans out to all of them).
    static let maxEndpoints = 16
    /// Deliveries listed per request, newest first.
    static let deliveriesListed = 100

    func create(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller()
        let input = try await body.decode(WebhookEndpointRequest.self, from: request)
        do {
            _ = try await destinations.checkOffPool(input.url)
        } catch {
            throw APIProblem.validation("url refused: \(error.description)", field: "url")
        }
        let secret = WebhookSignature.newSecret()
        let types = input.eventTypes.map(\.rawValue)
        let view = try await database.withTransaction { connection -> WebhookEndpointView in
            // Lock the owner's row so two concurrent creations cannot both pass the limit.
            _ = try connection.query("SELECT id FROM owners WHERE id = \(caller.ownerID) FOR UPDATE")
            let count = try connection.query("""
                SELECT count(*)::int AS n FROM webhook_endpoints WHERE owner_id = \(caller.ownerID) AND deleted_at IS NULL
                """)[0].decode(Int.self, column: "n")
            guard count < Self.maxEndpoints else {
                throw APIProblem.invalidState("an owner may have at most \(Self.maxEndpoints) webhook endpoints; delete one first")
            }
            let row = try connection.query("""
                INSERT INTO webhook_endpoints (owner_id, url, event_types, secret)
                VALUES (\(caller.ownerID), \(input.url), \(types), \(secret))
                RETURNING id, url, event_types, created_at, rotated_at
                """)[0]
            return try WebhookEndpointView(row: row, secret: secret)
        }
        return try JSONResponse.make(.created, view)
    }

    func list(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller()
        let endpoints = try await database.withConnection { connection in
            try connection.query("""
                SELECT id, url, event_types, created_at, rotated_at FROM webhook_endpoints
                WHERE owner_id = \(caller.ownerID) AND deleted_at IS NULL ORDER BY created_at
                """).map { try WebhookEndpointView(row: $0) }
        }
        return try JSONResponse.make(.ok, ["endpoints": endpoints])
    }

    func delete(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let deleted = try await database.withConnection { connection in
            try connection.query("""
                UPDATE webhook_endpoints SET deleted_at = now()
                WHERE id = \(id) AND owner_id = \(caller.ownerID) AND deleted_at IS NULL RETURNING id
                """).count
        }
        guard deleted == 1 else { throw Self.notFound }
        return Response(status: .noContent)
    }

    func rotateSecret(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let secret = WebhookSignature.newSecret()
        let view = try await database.withConnection { connection in
            try connection.query("""
                UPDATE webhook_endpoints SET secret = \(secret), rotated_at = now()
                WHERE id = \(id) AND owner_id = \(caller.ownerID) AND deleted_at IS NULL
                RETURNING id, url, event_types, created_at, rotated_at
                """).first.map { try WebhookEndpointView(row: $0, secret: secret) }
        }
        guard let view else { throw Self.notFound }
        return try JSONResponse.make(.ok, view)
    }

    func deliveries(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let list = try await database.withConnection { connection in
            try WebhookDeliveriesView.load(endpoint: id, owner: caller.ownerID, limit: Self.deliveriesListed, on: connection)
        }
        guard let list else { throw Self.notFound }
        return try JSONResponse.make(.ok, list)
    }

    /// Sends a delivery's event to its endpoint again, as a new delivery (the event id stays
    /// the same, so a receiver that already processed it can tell).
    func redeliver(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let created = try await database.withTransaction { connection -> (UUID, UUID)? in
            guard let row = try connection.query("""
                SELECT d.event_id, d.endpoint_id FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.id = \(id) AND e.owner_id = \(caller.ownerID) AND e.deleted_at IS NULL
                """).first else { return nil }
            let event = try row.decode(UUID.self, column: "event_id")
            let endpoint = try row.decode(UUID.self, column: "endpoint_id")
            return (try WebhookOutbox.enqueueDelivery(event: event, endpoint: endpoint, redeliveryOf: id, on: connection), event)
        }
        guard let (delivery, event) = created else { throw APIProblem.notFound("no such webhook delivery") }
        return try JSONResponse.make(.accepted, [
            "id": delivery.uuidString.lowercased(), "event_id": event.uuidString.lowercased(), "redelivery_of": id.uuidString.lowercased(),
        ])
    }

    static let notFound = APIProblem.notFound("no such webhook endpoint")
}
