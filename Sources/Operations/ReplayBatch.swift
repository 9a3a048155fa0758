public import Foundation
import JobRuntime
public import Postgres
import ProductFlow

/// Replaying many dead jobs: the dry run (every item decided in a transaction that is rolled
/// back), then the real run at a bounded rate, one transaction per item in which the audit
/// item and counters are written with the replay itself. `itp-admin dlq replay`, `jobs retry`
/// and the console all run this.
public struct ReplayBatch: Sendable {
    public struct Item: Sendable, Encodable {
        public var deadLetter: Int64?
        public var job: UUID?
        /// `replayed`, `skipped` or `refused`.
        public var result: String
        public var detail: String
        public var messageId: UUID?
    }

    public struct DryRun: Sendable, Equatable, Codable {
        public var selected: Int
        public var replay: Int
        public var skip: Int
        public var refuse: Int
        /// Each distinct reason of a skip or refusal, with how many items it covers.
        public var reasons: [Reason]

        public struct Reason: Sendable, Equatable, Codable {
            public var result: String
            public var detail: String
            public var count: Int
        }

        public var json: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        }
    }

    public var targets: [ReplayTarget]

    public init(targets: [ReplayTarget]) {
        self.targets = targets
    }

    /// Every item decided and rolled back.
    public func plan(database: PostgresClient) async throws -> [Item] {
        var items: [Item] = []
        for target in targets {
            items.append(try await decide(target, dryRun: true, auditID: nil, position: 0, database: database))
        }
        return items
    }

    public static func summary(_ items: [Item]) -> DryRun {
        var reasons: [String: DryRun.Reason] = [:]
        for item in items where item.result != "replayed" {
            // Reasons grouped by their words without the ids they name.
            let key = item.result + "|" + Self.generic(item.detail)
            reasons[key, default: DryRun.Reason(result: item.result, detail: Self.generic(item.detail), count: 0)].count += 1
        }
        return DryRun(
            selected: items.count, replay: items.count { $0.result == "replayed" }, skip: items.count { $0.result == "skipped" },
            refuse: items.count { $0.result == "refused" },
            reasons: reasons.values.sorted { ($0.count, $0.detail) > ($1.count, $1.detail) })
    }

    /// The replay, at most `rate` items per second, each with its audit item when `auditID` is
    /// given; `progress` is told after every item.
    public func run(
        rate: Double, auditID: Int64?, database: PostgresClient, progress: @Sendable (Int, Item) async -> Void = { _, _ in }
    ) async throws -> [Item] {
        var items: [Item] = []
        let clock = ContinuousClock()
        var next = clock.now
        for (position, target) in targets.enumerated() {
            try Task.checkCancellation()
            if target.job != nil {
                try await Task.sleep(until: next, clock: clock)
                next = next.advanced(by: .milliseconds(Int64(1000 / rate)))
            }
            let item = try await decide(target, dryRun: false, auditID: auditID, position: position, database: database)
            items.append(item)
            await progress(position, item)
        }
        return items
    }

    private func decide(_ target: ReplayTarget, dryRun: Bool, auditID: Int64?, position: Int, database: PostgresClient) async throws -> Item {
        guard let job = target.job else {
            let item = Item(deadLetter: target.deadLetter, job: nil, result: "refused",
                            detail: "the message named no job of this database (malformed): purge it instead")
            if let auditID, !dryRun { try await database.withConnection { try Self.audit(item, auditID, position, on: $0) } }
            return item
        }
        let replay = JobReplay(jobID: job, deadLetterID: target.deadLetter)
        return try await database.withConnection { connection in
            var recorded = false
            let result = try replay.run(dryRun: dryRun, on: connection) { connection, result in
                if let auditID {
                    try Self.audit(Item(deadLetter: target.deadLetter, job: job, result: result.outcome.name, detail: result.outcome.detail,
                                        messageId: result.messageID), auditID, position, on: connection)
                    recorded = true
                }
            }
            let item = Item(deadLetter: target.deadLetter, job: job, result: result.outcome.name, detail: result.outcome.detail,
                            messageId: result.messageID)
            // A skip or refusal changed nothing: its audit item is written on its own.
            if let auditID, !dryRun, !recorded { try connection.transaction { try Self.audit(item, auditID, position, on: $0) } }
            return item
        }
    }

    private static func audit(_ item: Item, _ auditID: Int64, _ position: Int, on connection: PostgresConnection) throws {
        try AuditLog.recordItem(
            auditID, AuditItem(position: position, deadLetter: item.deadLetter, job: item.job, result: item.result, detail: item.detail),
            on: connection)
    }

    /// `the job 1b2c… (design.generate)` → `the job … (design.generate)`: ids out, so reasons group.
    static func generic(_ detail: String) -> String {
        detail.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, with: "…")
    }
}

extension ReplayBatch {
    /// The audit's result of a finished replay (`itp-admin dlq replay`, the console's bulk
    /// replay and a product's mockup retry write the same words).
    public static func resultNote(_ items: [Item]) -> String {
        let counts = Dictionary(grouping: items, by: \.result).mapValues(\.count)
        return resultNote(replayed: counts["replayed", default: 0], skipped: counts["skipped", default: 0], refused: counts["refused", default: 0])
    }

    public static func resultNote(replayed: Int, skipped: Int, refused: Int) -> String {
        "\(replayed) replayed, \(skipped) skipped, \(refused) refused"
    }
}
