import ArgumentParser
import Foundation
import JobRuntime
import Operations
import Postgres
import ProductFlow
import Settings

/// `itp-admin jobs retry|cancel`: one job at a time, by id, through the job state machine.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Retry dead jobs or cancel pending ones, by job id.",
        subcommands: [Retry.self, Cancel.self])

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue dead jobs again through the outbox (the same replay as dlq replay, by job id).",
            discussion: """
                Only a dead job is retried (a job that succeeded is never run again; one already queued or \
                running is skipped; a cancelled or superseded one is refused). A design job that failed its \
                product revives it and re-reserves its credits, or is refused when the balance is short. \
                See 'itp-admin dlq replay --help' for publishing.

                Exit codes: 0 nothing refused; 1 some job refused, or not confirmed; 69 the database is unreachable.
                """)

        @OptionGroup var options: DaemonOptions
        @Argument(help: "Job ids.") var ids: [String]
        @Flag(help: "Only print what would happen.") var dryRun = false
        @Flag(help: "Do not ask for confirmation.") var yes = false
        @Option(help: "Seconds to wait for the broker to confirm the messages.") var publishTimeout: Double = 30
        @Flag(help: "Print JSON for scripts.") var json = false

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("name at least one job id") }
            for id in ids where UUID(uuidString: id) == nil { throw ValidationError("'\(id)' is not a job id (UUID)") }
        }

        func run() async throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin jobs retry")
            let database = AdminConnection.client(settings)
            let jobs = ids.compactMap(UUID.init(uuidString:))
            let targets: [(deadLetter: Int64?, job: UUID?)]
            do {
                // The latest dead letter of each job, so its replay count shows the retry.
                targets = try await database.withConnection { connection in
                    try jobs.map { job in
                        let letter = try connection.query("SELECT max(id) AS id FROM dead_letters WHERE job_id = \(job)")[0].decode(Int64?.self, column: "id")
                        return (letter, job)
                    }
                }
            } catch {
                AdminFailure.handle(error)
            }
            var run = DeadLetterReplayRun(jobs: jobs, database: database)
            run.targets = targets
            run.action = "jobs.retry"
            run.selection = "{\"jobs\":[\(jobs.map { "\"\($0.uuidString.lowercased())\"" }.joined(separator: ","))]}"
            let items = try await run.run(
                dryRun: dryRun, confirm: !yes, rate: 100, publishTimeout: publishTimeout, settings: settings, json: json, noun: "job")
            await database.shutdown()
            if items.contains(where: { $0.result.hasSuffix("refused") }) { throw ExitCode(1) }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel queued, retrying or running jobs (a running job's late result is then discarded).",
            discussion: """
                A cancelled job is never run or replayed again; its message is acked unrun when it arrives. \
                Cancelling one job does not settle its product: to stop a whole product and refund its \
                credits, cancel the product (POST /v1/products/{id}/cancel).

                Exit codes: 0 every job cancelled; 1 some job was already finished (nothing changed for it); \
                69 the database is unreachable.
                """)

        @OptionGroup var options: DaemonOptions
        @Argument(help: "Job ids.") var ids: [String]
        @Option(help: "Why (kept as the job's last error).") var reason = "cancelled by an operator"

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("name at least one job id") }
            for id in ids where UUID(uuidString: id) == nil { throw ValidationError("'\(id)' is not a job id (UUID)") }
        }

        func run() throws {
            let settings = try DaemonBoot.settings(options, daemon: "itp-admin jobs cancel")
            let connection = try AdminConnection.postgres(settings)
            defer { connection.close() }
            var refused = false
            for id in ids.compactMap(UUID.init(uuidString:)) {
                let line = try AdminFailure.report { try cancel(id, on: connection) }
                if line.refused { refused = true }
                print(line.text)
            }
            if refused { throw ExitCode(1) }
        }

        private func cancel(_ id: UUID, on connection: PostgresConnection) throws -> (text: String, refused: Bool) {
            try connection.transaction { connection in
                let job = "job \(id.uuidString.lowercased())"
                guard let row = try connection.query("""
                    SELECT j.state::text AS state, j.product_id, p.status::text AS product_status
                    FROM jobs j LEFT JOIN products p ON p.id = j.product_id
                    WHERE j.id = \(id) FOR UPDATE OF j
                    """).first else { return ("\(job): refused — no such job", true) }
                let state = JobState(rawValue: try row.decode(String.self, column: "state")) ?? .dead
                guard state.canTransition(to: .cancelled) else {
                    return ("\(job): refused — it is \(state.rawValue) already", true)
                }
                guard try JobTransition.cancel(id, reason: reason, on: connection) else {
                    return ("\(job): refused — it is \(state.rawValue) already", true)
                }
                var text = "\(job): cancelled (was \(state.rawValue))"
                if let product = try row.decode(UUID?.self, column: "product_id"), let status = try row.decode(String?.self, column: "product_status"),
                   let productStatus = ProductStatus(rawValue: status), !productStatus.isTerminal, productStatus != .readyForSale {
                    text += "; its product \(product.uuidString.lowercased()) stays \(status) until it is cancelled (POST /v1/products/{id}/cancel)"
                }
                // Audited in the cancel's own transaction.
                try AuditLog.record(
                    AdminActor.current, action: "jobs.cancel", selection: "{\"jobs\":[\"\(id.uuidString.lowercased())\"]}",
                    result: text, counts: AuditLog.Counts(succeeded: 1), on: connection)
                return (text, false)
            }
        }
    }
}
