import Foundation
import Logging
import Operations
import Postgres
import ServiceLifecycle
import Vocabulary

/// The console's background work: the dry run of a bulk replay and the replay itself run
/// here, not inside a request, so a replay of 10,000 dead letters answers at once and its page
/// shows progress from the audit row. A `Service`: its `run()` owns every task, and on
/// shutdown a running replay stops between two items and its audit row says how far it got.
final class BulkActions: Service, Sendable {
    private let database: PostgresClient
    private let logger: Logger
    private let plans = PlanTable()
    private let work: AsyncStream<@Sendable () async -> Void>
    private let submit: AsyncStream<@Sendable () async -> Void>.Continuation

    init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
        (work, submit) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for await item in work.cancelOnGracefulShutdown() {
                group.addTask { await item() }
            }
            group.cancelAll()
        }
    }

    func plan(_ id: UUID) async -> ReplayPlan? {
        await plans.get(id)
    }

    /// Starts the dry run of `targets`; the plan's page shows it when decided.
    func startPlan(operatorName: String, selectionJSON: String, listLink: String, targets: [ReplayTarget]) async -> UUID {
        let id = UUID()
        await plans.put(ReplayPlan(
            id: id, operatorName: operatorName, selectionJSON: selectionJSON, listLink: listLink, targets: targets, state: .deciding(done: 0)))
        let database = database, plans = plans, logger = logger
        submit.yield {
            do {
                var items: [ReplayBatch.Item] = []
                for (index, target) in targets.enumerated() {
                    try Task.checkCancellation()
                    items += try await ReplayBatch(targets: [target]).plan(database: database)
                    if index % 25 == 24 { await plans.update(id) { $0.state = .deciding(done: index + 1) } }
                }
                let summary = ReplayBatch.summary(items)
                await plans.update(id) { $0.state = .ready(summary) }
            } catch {
                logger.error("replay dry run failed", metadata: [LogKey.error: .error(error)])
                await plans.update(id) { $0.state = .failed }
            }
        }
        return id
    }

    /// Confirms a decided plan: writes the audit row (with the dry run shown) and starts the
    /// replay at `rate` per second. Nil when the plan is unknown, not decided, not this
    /// operator's, or confirmed already.
    func confirm(_ planID: UUID, actor: AuditActor, rate: Double) async throws -> Int64? {
        guard let plan = await plans.get(planID), plan.operatorName == actor.name, plan.auditID == nil,
              case .ready(let dryRun) = plan.state else { return nil }
        // Claimed before the audit row exists, so two clicks on "confirm" run it once.
        guard await plans.claim(planID, auditID: 0) else { return nil }
        let auditID: Int64
        do {
            auditID = try await database.withTransaction { connection in
                try AuditLog.begin(actor, action: "dlq.replay", selection: plan.selectionJSON, dryRun: dryRun.json,
                                   total: plan.targets.count, rate: rate, on: connection)
            }
        } catch {
            await plans.update(planID) { $0.auditID = nil }
            throw error
        }
        await plans.update(planID) { $0.auditID = auditID }
        let database = database, logger = logger, targets = plan.targets
        logger.info("bulk replay started", metadata: [LogKey.auditID: "\(auditID)", LogKey.operatorName: "\(actor.name)"])
        submit.yield {
            var failed = false, note: String
            do {
                let items = try await ReplayBatch(targets: targets).run(rate: rate, auditID: auditID, database: database)
                note = ReplayBatch.resultNote(items)
            } catch is CancellationError {
                failed = true
                note = "stopped: the console shut down before every item was done"
            } catch {
                failed = true
                note = "stopped by an error; the items listed were done"
                logger.error("bulk replay failed", metadata: [LogKey.auditID: "\(auditID)", LogKey.error: .error(error)])
            }
            let outcome = (failed: failed, note: note)
            do {
                try await database.withConnection { try AuditLog.finish(auditID, failed: outcome.failed, result: outcome.note, on: $0) }
            } catch {
                logger.error("bulk replay not finished in the audit", metadata: [LogKey.auditID: "\(auditID)", LogKey.error: .error(error)])
            }
        }
        return auditID
    }
}

/// The plans of this process, behind an actor.
private actor PlanTable {
    private var plans: [UUID: ReplayPlan] = [:]

    func get(_ id: UUID) -> ReplayPlan? { plans[id] }

    func put(_ plan: ReplayPlan) {
        // Old plans go: a person confirms within minutes or previews again.
        if plans.count > 200, let oldest = plans.keys.first { plans[oldest] = nil }
        plans[plan.id] = plan
    }

    func update(_ id: UUID, _ change: (inout ReplayPlan) -> Void) {
        guard var plan = plans[id] else { return }
        change(&plan)
        plans[id] = plan
    }

    /// Marks the plan confirmed once; false when it was already.
    func claim(_ id: UUID, auditID: Int64) -> Bool {
        guard var plan = plans[id], plan.auditID == nil else { return false }
        plan.auditID = auditID
        plans[id] = plan
        return true
    }
}
