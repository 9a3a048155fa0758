import DesignProviders
@testable import DesignWorker
import JobRuntime
import Testing

/// The one mapping of a provider's failure to the job runtime's (no I/O).
@Suite struct ProviderFailureTests {
    @Test(arguments: [
        (ProviderError.Class.rateLimited, ErrorClass.rateLimited), (.transient, .transient), (.permanent, .permanent),
    ])
    func eachClassMapsToTheSameJobFailureClass(provider: ProviderError.Class, job: ErrorClass) {
        #expect(provider.rawValue == job.rawValue)
        let failure = JobFailure(ProviderError(provider, "stub: it broke", retryAfter: .seconds(4)))
        #expect(failure.errorClass == job)
        #expect(failure.message == "stub: it broke")
        #expect(failure.stage == "provider_call")
        #expect(failure.retryAfter == .seconds(4))
    }

    @Test func everyProviderClassHasAJobClass() {
        #expect(ProviderError.Class.allCases.map(\.rawValue) == ErrorClass.allCases.map(\.rawValue))
    }
}
