import Foundation
import ProductFlow
import JobRuntime
import Postgres

/// `GET /v1/products/{id}`: the polling view — status, iteration, selection, timestamps,
/// the public failure reason, every iteration with its feedback, and the product's
/// current jobs. Failures are ``PublicFailure``s: the internal text stays in the database.
struct ProductView: Encodable, Sendable {
    struct Job: Encodable, Sendable {
        var id: UUID
        var kind: String
        var state: String
        var attempts: Int
        var lastError: PublicFailure?
        var iteration: Int?
        var selectionVersion: Int?
        var updatedAt: Date

        private enum CodingKeys: String, CodingKey {
            case id, kind, state, attempts, lastError = "last_error", iteration
            case selectionVersion = "selection_version", updatedAt = "updated_at"
        }
    }

    var id: UUID
    var status: ProductStatus
    var prompt: String
    var productType: String
    var shirtColor: String
    var candidates: Int
    /// Where the design is printed (`null` for a product made without placements).
    var placement: PrintPlacement?
    var iteration: Int
    var selectionVersion: Int
    var failureReason: PublicFailure?
    var iterations: [DesignIteration]
    var createdAt: Date
    var updatedAt: Date
    var readyAt: Date?
    /// Only for a product made from the shop's library.
    var library: ProductLibrarySource?
    var jobs: [Job]
    var links: ProductLinks

    private enum CodingKeys: String, CodingKey {
        case id, status, prompt, productType = "product_type", shirtColor = "shirt_color", candidates, placement, iteration
        case selectionVersion = "selection_version", failureReason = "failure_reason", createdAt = "created_at"
        case updatedAt = "updated_at", readyAt = "ready_at", iterations, jobs, links, library
    }


    /// Loads the caller's product; nil when it does not exist or belongs to someone else.
    /// "Current" jobs are the design jobs of the current iteration and the mockup jobs of
    /// the current selection.
    static func load(_ id: UUID, caller: Caller, on connection: PostgresConnection) throws -> ProductView? {
        guard let row = try connection.query("""
            SELECT status::text, prompt, product_type, shirt_color, candidate_count, iteration, selection_version,
                   failure_reason, created_at, updated_at, ready_at, placement::text, library_design_id, library_overrides,
                   (SELECT version FROM library_design_versions v WHERE v.id = library_version_id) AS library_version,
                   (SELECT max(version) FROM library_design_versions v WHERE v.design_id = library_design_id) AS library_latest,
                   (SELECT version FROM library_design_versions v WHERE v.id = sync_version_id) AS library_syncing_to, sync_failure
            FROM products WHERE id = \(id) AND owner_id = \(caller.ownerID)
            """).first else { return nil }
        let iteration = try row.decode(Int.self, column: "iteration")
        let selection = try row.decode(Int.self, column: "selection_version")
        let jobs = try connection.query("""
            SELECT id, kind, state::text, attempts, last_error, iteration, selection_version, updated_at,
                   error_class::text, failure_stage
            FROM jobs
            WHERE product_id = \(id)
              AND ((kind = 'design.generate' AND iteration = \(iteration))
                   OR (kind LIKE 'mockup.%' AND selection_version = \(selection)))
            ORDER BY created_at, id
            """).map { job in
            let kind = try job.decode(String.self, column: "kind"), state = try job.decode(String.self, column: "state")
            let failure = PublicFailure.job(
                kind: kind, state: state, lastError: try job.decode(String?.self, column: "last_error"),
                errorClass: try job.decode(String?.self, column: "error_class"), stage: try job.decode(String?.self, column: "failure_stage"))
            return Job(id: try job.decode(UUID.self, column: "id"), kind: kind, state: state, attempts: try job.decode(Int.self, column: "attempts"),
                       lastError: failure, iteration: try job.decode(Int?.self, column: "iteration"),
                       selectionVersion: try job.decode(Int?.self, column: "selection_version"), updatedAt: try job.decode(Date.self, column: "updated_at"))
        }
        let iterations = try DesignIteration.all(of: id, on: connection)
        let status = try ProductStatusColumn.decode(row)
        let failureReason = PublicFailure.product(
            status: status, internalReason: try row.decode(String?.self, column: "failure_reason"),
            causes: jobs.map { (kind: $0.kind, failure: $0.lastError) })
        return ProductView(
            id: id, status: status, prompt: try row.decode(String.self, column: "prompt"),
            productType: try row.decode(String.self, column: "product_type"), shirtColor: try row.decode(String.self, column: "shirt_color"),
            candidates: try row.decode(Int.self, column: "candidate_count"), placement: try PrintPlacement.decode(row),
            iteration: iteration, selectionVersion: selection,
            failureReason: failureReason, iterations: iterations, createdAt: try row.decode(Date.self, column: "created_at"),
            updatedAt: try row.decode(Date.self, column: "updated_at"), readyAt: try row.decode(Date?.self, column: "ready_at"),
            library: try row.decode(UUID?.self, column: "library_design_id").map { design in
                ProductLibrarySource(
                    designID: design, version: try row.decode(Int.self, column: "library_version"),
                    latestVersion: try row.decode(Int.self, column: "library_latest"),
                    overrides: try row.decode([String].self, column: "library_overrides"),
                    syncingToVersion: try row.decode(Int?.self, column: "library_syncing_to"),
                    syncFailure: try row.decode(String?.self, column: "sync_failure"))
            },
            jobs: jobs, links: ProductLinks(id))
    }
}
