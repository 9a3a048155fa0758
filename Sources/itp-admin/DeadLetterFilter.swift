import ArgumentParser
import Foundation
import JobRuntime
import Operations
import Postgres

/// The filters `dlq list`, `dlq replay` and `dlq purge` share. They apply to
/// `dead_letters d LEFT JOIN jobs j ON j.id = d.job_id`.
struct DeadLetterFilter: ParsableArguments {
    @Option(help: "Work queue the message died on (or its <queue>.dead name).") var queue: String?
    @Option(help: "Job kind (design.generate, mockup.flat_lay, mockup.mr_imagine, finalizer.event, canary, …).") var kind: String?
    @Option(help: "Error class: rate_limited, transient or permanent.") var errorClass: String?
    @Option(help: "Failure stage (provider_call, decode_message, broker_delivery_limit, …).") var stage: String?
    @Option(help: "Dead-lettered at or after: an ISO 8601 time (2024-05-01, 2024-05-01T10:00:00Z) or an age (90m, 2h, 7d).")
    var since: String?
    @Option(help: "Dead-lettered before: an ISO 8601 time or an age (as --since).") var until: String?
    @Option(help: "Only dead letters of this product id.") var product: String?
    @Flag(help: "Only dead letters whose job is still dead (not replayed, or replayed and dead again).") var unresolved = false

    init() {}

    var isEmpty: Bool {
        queue == nil && kind == nil && errorClass == nil && stage == nil && since == nil && until == nil && product == nil && !unresolved
    }

    func validate() throws {
        if let errorClass, ErrorClass(rawValue: errorClass) == nil {
            throw ValidationError("--error-class must be one of \(ErrorClass.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let product, UUID(uuidString: product) == nil { throw ValidationError("--product must be a product id (UUID)") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeBound(value) == nil { throw ValidationError("\(name): '\(value)' is neither an ISO 8601 time nor an age like 90m, 2h, 7d") }
        }
    }

    /// The same filters as the console's, in the library both use.
    var selection: DeadLetterSelection {
        DeadLetterSelection(
            queue: queue, kind: kind, errorClass: errorClass, stage: stage, since: since, until: until,
            product: product.flatMap(UUID.init(uuidString:)), unresolved: unresolved)
    }

    /// `TRUE AND …` conditions for a WHERE clause.
    var conditions: SQL { selection.conditions }
}
