public import DesignProviders
import JobRuntime
public import Logging
import Vocabulary

/// An image provider that asks the fleet's ``ProviderBudget`` before every call and
/// records every 429 in it, so one worker's 429 pauses all of them and the fleet keeps to
/// the configured rate. A short wait (up to `maxWait`) is slept through; a longer one ends
/// the attempt as `rate_limited` with the wait as its Retry-After (stage `provider_budget`),
/// which defers the job without burning an attempt and without calling the provider.
public struct BudgetedProvider: ImageProvider {
    let base: any ImageProvider
    let budget: ProviderBudget
    let maxWait: Duration
    /// The pause after a 429 that named no Retry-After.
    let defaultPause: Duration
    let logger: Logger

    public init(_ base: any ImageProvider, budget: ProviderBudget, maxWait: Duration = .seconds(5),
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
            switch try await budget.acquire() {
            case .granted:
                return
            case .wait(let wait):
                guard waited + wait <= maxWait else {
                    throw JobFailure(
                        .rateLimited, "the fleet's budget for provider \(name) allows no call for \(wait)",
                        stage: "provider_budget", retryAfter: wait)
                }
                try await Task.sleep(for: wait)
                waited += wait
            }
        }
    }
}
