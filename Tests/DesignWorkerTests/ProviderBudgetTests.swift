import DesignProviders
import DesignWorker
import FleetTesting
import JobRuntime
import Logging
import Postgres
import Testing

/// The fleet-wide provider budget (`provider_budgets`) against a real Postgres: several
/// design workers, each with its own provider and its own ``BudgetedProvider``, share one
/// account's pauses and rate through the database alone.
@Suite("One provider budget for the whole fleet")
struct ProviderBudgetTests {
    private static let logger = Logger(label: "test.budget") { _ in SwiftLogNoOpLogHandler() }
    private static let request = ImageRequest(prompt: "a heron", candidateIndex: 0, seed: 1, size: 64)

    /// `body` gets a pool over a freshly migrated schema, dropped afterwards.
    private static func withDatabase(_ body: (PostgresClient) async throws -> Void) async throws {
        let schema = try await MigratedSchema.create("budget")
        let database = PostgresClient(conninfo: schema.conninfo, maxConnections: 4, logger: logger)
        do {
            try await body(database)
        } catch {
            await database.shutdown()
            schema.drop()
            throw error
        }
        await database.shutdown()
        schema.drop()
    }

    /// One design worker's provider: its own recording provider behind the shared budget.
    private static func worker(
        _ database: PostgresClient, apiKey: String = "account-1", interval: Duration = .zero,
        failing failures: [Int: ProviderError] = [:]
    ) -> (provider: BudgetedProvider, calls: RecordingProvider) {
        let calls = RecordingProvider(failing: failures)
        let budget = ProviderBudget(provider: "test-art", apiKey: apiKey, interval: interval, database: database)
        return (BudgetedProvider(calls, budget: budget, logger: logger), calls)
    }

    /// The failure `provider` ended the call with (nil: it succeeded).
    private static func failure(of provider: BudgetedProvider) async -> (any Error)? {
        do {
            _ = try await provider.generate(request)
            return nil
        } catch {
            return error
        }
    }

    @Test("after one worker's 429, no worker calls the provider until its Retry-After has passed")
    func aRateLimitPausesTheFleet() async throws {
        try await Self.withDatabase { database in
            let first = Self.worker(database, failing: [0: ProviderError(.rateLimited, "slow down", retryAfter: .seconds(3600))])
            let others = [Self.worker(database), Self.worker(database)]

            let error = await Self.failure(of: first.provider)
            #expect((error as? ProviderError)?.errorClass == .rateLimited)
            #expect(first.calls.received.count == 1)

            for other in others {
                let deferred = try #require(await Self.failure(of: other.provider) as? JobFailure)
                #expect(deferred.errorClass == .rateLimited)
                #expect(deferred.stage == "provider_budget")
                // The rest of the pause (an hour less the time since it was recorded), not a guess.
                let retryAfter = try #require(deferred.retryAfter)
                #expect(retryAfter > .seconds(600) && retryAfter <= .seconds(3600))
                #expect(other.calls.received.isEmpty)
            }
            // Another account of the same provider is not paused.
            let elsewhere = Self.worker(database, apiKey: "account-2")
            #expect(await Self.failure(of: elsewhere.provider) == nil)
            #expect(elsewhere.calls.received.count == 1)

            let pauses = try await database.withConnection { connection in
                try connection.query("SELECT pauses FROM provider_budgets WHERE budget_key LIKE 'test-art:%' AND pauses > 0")
                    .map { try $0.decode(Int.self, column: "pauses") }
            }
            #expect(pauses == [1])
        }
    }

    @Test("the fleet keeps to its spacing: a call that would come too soon is deferred, not made")
    func theRateIsShared() async throws {
        try await Self.withDatabase { database in
            // An hour apart: no loaded machine turns this into a race with the clock.
            let first = Self.worker(database, interval: .seconds(3600)), second = Self.worker(database, interval: .seconds(3600))
            #expect(await Self.failure(of: first.provider) == nil)
            let deferred = try #require(await Self.failure(of: second.provider) as? JobFailure)
            #expect(deferred.errorClass == .rateLimited)
            #expect(deferred.retryAfter.map { $0 > .seconds(600) && $0 <= .seconds(3600) } == true)
            #expect(first.calls.received.count == 1)
            #expect(second.calls.received.isEmpty)
        }
    }

    @Test("calls per minute become a spacing 1 % wider than the limit; the key names the account, never its secret")
    func theSpacingHasSlack() async throws {
        try await Self.withDatabase { database in
            let budget = ProviderBudget(provider: "openai-images", apiKey: "sk-secret-123", callsPerMinute: 20, database: database)
            #expect(budget.interval == .milliseconds(3030))
            #expect(budget.key.hasPrefix("openai-images:") && !budget.key.contains("secret"))
            #expect(ProviderBudget(provider: "openai-images", apiKey: "sk-secret-123", callsPerMinute: nil, database: database).interval == .zero)
        }
    }

    @Test("a wait shorter than the worker's bound is slept through, and the call is made")
    func aShortWaitIsSleptThrough() async throws {
        try await Self.withDatabase { database in
            // One call every 100 ms, well inside the 30 s a worker waits.
            let workers = [Self.worker(database, interval: .milliseconds(100)), Self.worker(database, interval: .milliseconds(100))]
            for worker in workers { #expect(await Self.failure(of: worker.provider) == nil) }
            #expect(workers.map { $0.calls.received.count } == [1, 1])
        }
    }
}
