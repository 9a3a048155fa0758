public import DesignProviders
import JobRuntime
public import Logging
import Vocabulary

/// An image provider that asks the fleet's ``ProviderBudget`` before every call and
/// records every 429 in it, so one worker's 429 pauses all of them and the fleet keeps to
/// the configured rate. A call takes the next free slot if it starts within `maxWait` and
/// sleeps until then (workers queue, so none starves); a slot further away, or a pause
/// longer than that, ends the attempt as `rate_limited` with the wait as its Retry-After
/// (stage `provider_budget`), which defers the job without burning an attempt and without
/// calling the provider.
public struct BudgetedProvider: ImageProvider {
    let base: any ImageProvider
    let budget: ProviderBudget
    let maxWait: Duration
    /// The pause after a 429 that named no Retry-After.
    let defaultPause: Duration
    let logger: Logger

    public init(_ base: any ImageProvider, budget: ProviderBudget, maxWait: Duration = .seconds(30),
                defaultPause: Duration = .seconds(10), logger: Logger) {
        self.base = base
        self.budget = budget
        self.maxWait = maxWait
        self.defaultPause = defaultPause
        self.logger = logger
    }

    public var name: String { base.name }
    public var model: String { base.model }

    public func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        try await waitForTheBudget()
        do {
            return try await base.generate(request)
        } catch let error as ProviderError where error.errorClass == .rateLimited {
            let pause = error.retryAfter ?? defaultPause
            do {
                try await budget.pause(for: pause)
            } catch {
                // The 429 still ends this attempt; only the other workers are not told.
                logger.warning("the provider's 429 could not be recorded in the fleet's budget", metadata: [
                    LogKey.error: .error(error), LogKey.providerName: "\(name)",
                ])
            }
            throw error
        }
    }

    private func waitForTheBudget() async throws {
        var waited = Duration.zero
        while true {
            switch try await budget.reserve(within: maxWait - waited) {
            case .busy(let wait):
                throw deferral(wait)
            case .reserved(let wait):
                if wait > .zero { try await Task.sleep(for: wait) }
                waited += wait
            }
            // A 429 elsewhere may have paused the fleet while this caller slept.
            let pause = try await budget.pausedFor()
            guard pause > .zero else { return }
            guard waited + pause <= maxWait else { throw deferral(pause) }
            try await Task.sleep(for: pause)
            waited += pause
        }
    }

    private func deferral(_ wait: Duration) -> JobFailure {
        JobFailure(.rateLimited, "the fleet's budget for provider \(name) allows no call for \(wait)", stage: "provider_budget", retryAfter: wait)
    }
}
