public import Foundation
import JobRuntime
public import Postgres

/// Replays one dead job (DESIGN.md §3: "replay goes through the outbox and is itself
/// idempotent"). In one transaction, with the job row locked:
///
/// - only a `dead` job is replayed (the one legal way out of a terminal state,
///   `JobState.dead → .queued`); a job that succeeded, or is already queued or running
///   again after an earlier replay, is left alone — nothing runs twice;
/// - a cancelled or superseded job is refused: it ended on purpose;
/// - a design job whose death failed its product revives the product (`failed → draft`,
///   through `ProductTransition.move`) and re-reserves the credits that failure refunded,
///   or is refused when the owner's balance is short; a mockup job of the current selection
///   does the same with `failed → generating_mockups`, and enqueues again the sibling
///   mockup job that the failure cancelled;
/// - the job gets a fresh attempt budget (`attempts` back to 0; every earlier attempt
///   stays in `job_attempts`), and its message — rebuilt from the job row — is written to
///   the outbox, so a crash after the commit delays the replay but cannot lose it.
///
/// A library type, so every operator surface (`itp-admin dlq replay`, a console) replays the
/// same way; the caller only parses and prints.
public struct JobReplay: Sendable {
    public enum Outcome: Sendable, Equatable {
        case replayed(String)
        /// Nothing to do: the job already succeeded, or runs again already.
        case skipped(String)
        /// Not replayable as things stand.
        case refused(String)

        public var name: String {
            switch self {
            case .replayed: "replayed"
            case .skipped: "skipped"
            case .refused: "refused"
            }
        }

        public var detail: String {
            switch self {
            case .replayed(let text), .skipped(let text), .refused(let text): text
            }
        }
    }

    public struct Result: Sendable {
        public var outcome: Outcome
        /// The outbox message carrying the replay, when one was written.
        public var messageID: UUID?
    }

    /// Thrown to roll a dry run back after deciding its outcome.
    private struct DryRun: Error {
        var outcome: Outcome
    }

    public var jobID: UUID
    /// The dead letter being replayed, if any (its replay count is raised).
    public var deadLetterID: Int64?

    public init(jobID: UUID, deadLetterID: Int64? = nil) {
        self.jobID = jobID
        self.deadLetterID = deadLetterID
    }

    /// Decides and, unless `dryRun`, commits. A dry run takes the same steps — the credit
    /// reservation included — and rolls them back, so its answer is the real one.
    ///
    /// `recording`, when given, runs inside the replay's own transaction after the job was
    /// requeued (an operator audit written with the effect it records); a skip, a refusal or
    /// a dry run never reaches it.
    public func run(
        dryRun: Bool, on connection: PostgresConnection, recording: ((PostgresConnection, Result) throws -> Void)? = nil
    ) throws -> Result {
        do {
            return try connection.transaction { connection in
                let result = try replay(on: connection)
                if dryRun || result.messageID == nil { throw DryRun(outcome: result.outcome) }
                try recording?(connection, result)
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
        let (stateName, kind, queue, productID, iteration, selectionVersion, payload)
            = try row.decode((String, String, String, UUID?, Int?, Int?, String).self)
        let state = JobState(rawValue: stateName) ?? .dead

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

        guard try JobTransition.requeueDead(jobID, on: connection) else {
            return stop(.skipped("the job is no longer dead"))
        }
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
            """).first else { return .refuse("its product \(productID.uuidString.lowercased()) does not exist") }
        let (statusName, owner, productIteration, productSelection) = try row.decode((String, UUID, Int, Int).self)
        guard let status = ProductStatus(rawValue: statusName) else {
            return .refuse("its product \(productID.uuidString.lowercased()) does not exist")
        }

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
            if status == .cancelled {
                return .refuse("the product is cancelled: a mockup cannot bring it back")
            }
            if let selectionVersion, selectionVersion != productSelection {
                return .refuse("selection \(selectionVersion) is stale: the product is at selection \(productSelection)")
            }
            guard status == .failed else { return .proceed(note: nil) }
            // The dead mockup job of the current selection failed the product: revive it to
            // generating_mockups, and make the sibling mockup the failure cancelled again.
            let decision = try revive(productID, owner: owner, to: .generatingMockups, on: connection)
            guard case .proceed(let note) = decision else { return decision }
            let requeued = try ProductRevival.requeueCancelledMockups(product: productID, selection: productSelection, on: connection)
            let siblings = requeued.filter { $0 != kind }
            let notes = [note].compactMap { $0 } + siblings.map { "its cancelled \($0) job enqueued again" }
            return .proceed(note: notes.joined(separator: "; "))
        default:
            return .proceed(note: nil)
        }
    }

    /// `failed → status` with the credits the failure refunded reserved again.
    private func revive(_ productID: UUID, owner: UUID, to status: ProductStatus, on connection: PostgresConnection) throws -> ProductDecision {
        let refunded: Int
        switch try ProductRevival.reReserveRefunded(product: productID, owner: owner, note: "replay of a dead \(status == .draft ? "design" : "mockup") job", on: connection) {
        case .reserved(let amount):
            refunded = amount
        case .insufficient(let needed, let balance):
            return .refuse("insufficient credits: the replay re-reserves \(needed), the owner's balance is \(balance)")
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
