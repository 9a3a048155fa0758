import Foundation
import JobRuntime
import Postgres
import ProductFlow

/// Replays one dead job (DESIGN.md §3: "replay goes through the outbox and is itself
/// idempotent"). In one transaction, with the job row locked:
///
/// - only a `dead` job is replayed (the one legal way out of a terminal state,
///   `JobState.dead → .queued`); a job that succeeded, or is already queued or running
///   again after an earlier replay, is left alone — nothing runs twice;
/// - a cancelled or superseded job is refused: it ended on purpose;
/// - a design job whose death failed its product revives the product (`failed → draft`,
///   through `ProductTransition.move`) and re-reserves the credits that failure refunded,
///   or is refused when the owner's balance is short;
/// - the job gets a fresh attempt budget (`attempts` back to 0; every earlier attempt
///   stays in `job_attempts`), and its message — rebuilt from the job row — is written to
///   the outbox, so a crash after the commit delays the replay but cannot lose it.
struct JobReplay: Sendable {
    enum Outcome: Sendable, Equatable {
        case replayed(String)
        /// Nothing to do: the job already succeeded, or runs again already.
        case skipped(String)
        /// Not replayable as things stand.
        case refused(String)

        var name: String {
            switch self {
            case .replayed: "replayed"
            case .skipped: "skipped"
            case .refused: "refused"
            }
        }

        var detail: String {
            switch self {
            case .replayed(let text), .skipped(let text), .refused(let text): text
            }
        }
    }

    struct Result: Sendable {
        var outcome: Outcome
        /// The outbox message carrying the replay, when one was written.
        var messageID: UUID?
    }

    /// Thrown to roll a dry run back after deciding its outcome.
    private struct DryRun: Error {
        var outcome: Outcome
    }

    var jobID: UUID
    /// The dead letter being replayed, if any (its replay count is raised).
    var deadLetterID: Int64?

    /// Decides and, unless `dryRun`, commits. A dry run takes the same steps — the credit
    /// reservation included — and rolls them back, so its answer is the real one.
    func run(dryRun: Bool, on connection: PostgresConnection) throws -> Result {
        do {
            return try connection.transaction { connection in
                let result = try replay(on: connection)
                if dryRun || result.messageID == nil { throw DryRun(outcome: result.outcome) }
                return result
            }
        } catch let dry as DryRun {
            return Result(outcome: dry.outcome, messageID: nil)
        }
    }

    private func replay(on connection: PostgresConnection) throws -> Result {
        func stop(_ outcome: Outcome) -> Result { Result(outcome: outcome, messageID: nil) }
        guard let row = try connection.query("""
            SELECT state::text, kind, queue, product_id, iteration, selection_version, payload::text
            FROM jobs WHERE id = \(jobID) FOR UPDATE
            """).first else { return stop(.refused("no job \(jobID.uuidString.lowercased()) in this database")) }
        let state = JobState(rawValue: try row.decode(String.self, at: 0)) ?? .dead
        let kind = try row.decode(String.self, at: 1)
        let queue = try row.decode(String.self, at: 2)
        let productID = try row.decode(UUID?.self, at: 3)
        let iteration = try row.decode(Int?.self, at: 4)
        let selectionVersion = try row.decode(Int?.self, at: 5)
        let payload = try row.decode(String.self, at: 6)

        switch state {
        case .succeeded:
            return stop(.skipped("the job already succeeded: it is not run again"))
        case .queued, .running, .retrying:
            return stop(.skipped("the job is already \(state.rawValue) (replayed before, or still in progress)"))
        case .cancelled, .superseded:
            return stop(.refused("the job was \(state.rawValue) on purpose: it is not replayed"))
        case .dead:
            break
        }
        precondition(state.canTransition(to: .queued))

        var notes: [String] = []
        if let productID {
            switch try prepareProduct(productID, kind: kind, iteration: iteration, selectionVersion: selectionVersion, on: connection) {
            case .proceed(let note):
                if let note { notes.append(note) }
            case .refuse(let reason):
                return stop(.refused(reason))
            }
        }

        try connection.execute("""
            UPDATE jobs SET state = 'queued', attempts = 0, rate_limited_waits = 0, next_attempt_at = NULL, finished_at = NULL,
                   error_class = COALESCE(error_class, 'permanent'), updated_at = now()
            WHERE id = \(jobID) AND state = 'dead'
            """)
        let envelope = JobEnvelope(jobID: jobID, kind: kind, payload: Data(payload.utf8))
        var headers = ["x-itp-kind": kind, "x-itp-job-id": jobID.uuidString.lowercased()]
        if let deadLetterID { headers["x-itp-replay-of"] = String(deadLetterID) }
        // Every work queue is bound to the jobs exchange under its own name (events too: retries
        // re-enter that way), so this reaches the job's queue whatever exchange first fed it.
        let messageID = try OutboxMessage(
            exchange: Topology.jobsExchange, routingKey: queue, body: try envelope.encoded(), headers: headers, jobID: jobID
        ).insert(on: connection)
        if let deadLetterID {
            try connection.execute("""
                UPDATE dead_letters SET replay_count = replay_count + 1, last_replayed_at = now() WHERE id = \(deadLetterID)
                """)
        }
        let summary = (["job \(jobID.uuidString.lowercased()) (\(kind)) queued on \(queue) through the outbox"] + notes).joined(separator: "; ")
        return Result(outcome: .replayed(summary), messageID: messageID)
    }

    private enum ProductDecision {
        case proceed(note: String?)
        case refuse(String)
    }

    private func prepareProduct(
        _ productID: UUID, kind: String, iteration: Int?, selectionVersion: Int?, on connection: PostgresConnection
    ) throws -> ProductDecision {
        guard let row = try connection.query("""
            SELECT status::text, owner_id, iteration, selection_version FROM products WHERE id = \(productID) FOR UPDATE
            """).first, let status = ProductStatus(rawValue: try row.decode(String.self, at: 0))
        else { return .refuse("its product \(productID.uuidString.lowercased()) does not exist") }
        let owner = try row.decode(UUID.self, at: 1)
        let productIteration = try row.decode(Int.self, at: 2)
        let productSelection = try row.decode(Int.self, at: 3)

        switch kind {
        case JobKinds.designGenerate:
            if let iteration, iteration != productIteration {
                return .refuse("design iteration \(iteration) is not the product's current iteration \(productIteration)")
            }
            switch status {
            case .draft, .generatingDesigns:
                return .proceed(note: nil)
            case .failed:
                return try revive(productID, owner: owner, to: .draft, on: connection)
            case .awaitingSelection, .generatingMockups, .readyForSale, .cancelled:
                return .refuse("the product is \(status.rawValue): a replayed design job would only be superseded")
            }
        case JobKinds.mockupFlatLay, JobKinds.mockupMrImagine:
            if status == .cancelled || status == .failed {
                return .refuse("the product is \(status.rawValue): a mockup cannot bring it back (replay its dead design job, or re-select)")
            }
            if let selectionVersion, selectionVersion != productSelection {
                return .refuse("selection \(selectionVersion) is stale: the product is at selection \(productSelection)")
            }
            return .proceed(note: nil)
        default:
            return .proceed(note: nil)
        }
    }

    /// `failed → draft` with the credits the failure refunded reserved again.
    private func revive(_ productID: UUID, owner: UUID, to status: ProductStatus, on connection: PostgresConnection) throws -> ProductDecision {
        // The failure refunded every open reservation in one statement: those rows share the
        // latest refund timestamp (one transaction's now()).
        let refunded = try connection.query("""
            SELECT COALESCE(sum(amount), 0)::bigint FROM credit_ledger
            WHERE product_id = \(productID) AND kind = 'refund'
              AND created_at = (SELECT max(created_at) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'refund')
            """)[0].decode(Int.self, at: 0)
        if refunded > 0 {
            let balance = try Credits.balance(owner: owner, on: connection)
            guard balance >= refunded else {
                return .refuse("insufficient credits: the replay re-reserves \(refunded), the owner's balance is \(balance)")
            }
            do {
                try connection.execute("SAVEPOINT replay_reserve")
                try Credits.reserve(owner: owner, product: productID, amount: refunded, note: "replay of a dead design job", on: connection)
                try connection.execute("RELEASE SAVEPOINT replay_reserve")
            } catch let error as PostgresError where error.sqlState == "23514" {
                try connection.execute("ROLLBACK TO SAVEPOINT replay_reserve")
                return .refuse("insufficient credits: the replay re-reserves \(refunded)")
            }
        }
        switch try ProductTransition.move(productID, to: status, on: connection) {
        case .changed, .unchanged:
            return .proceed(note: "product revived: failed → \(status.rawValue)" + (refunded > 0 ? ", \(refunded) credit(s) reserved again" : ""))
        case .refused(let current):
            return .refuse("the product cannot move from \(current.rawValue) to \(status.rawValue)")
        case .noSuchProduct:
            return .refuse("its product \(productID.uuidString.lowercased()) does not exist")
        }
    }
}
