import Testing
@testable import JobRuntime

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 3, initialDelay: .seconds(2), maxDelay: .seconds(60))

    @Test func transientRetriesWithGrowingBackoffThenDeadLetters() {
        #expect(policy.decide(.transient, attempts: 1, random: 1) == .retry(after: .seconds(2), countsAttempt: true))
        #expect(policy.decide(.transient, attempts: 2, random: 1) == .retry(after: .seconds(4), countsAttempt: true))
        guard case .deadLetter(let reason) = policy.decide(.transient, attempts: 3, random: 1) else {
            Issue.record("the third transient failure must dead-letter")
            return
        }
        #expect(reason.contains("3 attempts"))
    }

    @Test func jitterStaysWithinHalfToFullDelay() {
        #expect(policy.backoff(attempt: 3, random: 0) == .seconds(4))
        #expect(policy.backoff(attempt: 3, random: 0.5) == .seconds(6))
        #expect(policy.backoff(attempt: 3, random: 0.999_999) <= .seconds(8))
        #expect(policy.backoff(attempt: 40, random: 1) == .seconds(60))
    }

    @Test func permanentDeadLettersAtOnce() {
        #expect(policy.decide(.permanent, attempts: 1, random: 0.3) == .deadLetter(reason: "permanent error"))
    }

    @Test func rateLimitedHonoursRetryAfterWithoutBurningAnAttempt() {
        let decision = policy.decide(.rateLimited, attempts: 3, rateLimitedWaits: 1, retryAfter: .seconds(7), random: 0)
        #expect(decision == .retry(after: .seconds(7), countsAttempt: false))
        guard case .deadLetter = policy.decide(.rateLimited, attempts: 1, rateLimitedWaits: 21, retryAfter: .seconds(1), random: 0) else {
            Issue.record("endless rate limiting must end in the dead-letter queue")
            return
        }
    }
}
