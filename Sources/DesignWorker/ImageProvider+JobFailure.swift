import DesignProviders
import JobRuntime

extension ImageProvider {
    /// ``generate(_:)`` with every failure classified for the job runtime: a
    /// ``ProviderError`` becomes its ``JobFailure`` (stage `provider_call`);
    /// `CancellationError` passes through untouched, so a hard shutdown leaves the job
    /// unacked for redelivery. Logging and metrics of the call are the provider's own
    /// (``MeasuredProvider``), so they are not repeated here.
    func generateClassified(_ request: ImageRequest) async throws -> GeneratedImage {
        do {
            return try await generate(request)
        } catch let error as ProviderError {
            throw JobFailure(error)
        } catch let error as CancellationError {
            throw error
        } catch let failure as JobFailure {
            throw failure
        } catch {
            // A provider that throws anything else broke its contract; a retry is the safe guess.
            throw JobFailure(.transient, "provider \(name) failed: \(error)", stage: "provider_call")
        }
    }
}

extension JobFailure {
    /// The one mapping of a provider's failure to the job runtime's: same class, same
    /// Retry-After, at stage `provider_call`.
    init(_ error: ProviderError) {
        let errorClass: ErrorClass = switch error.errorClass {
        case .rateLimited: .rateLimited
        case .transient: .transient
        case .permanent: .permanent
        }
        self.init(errorClass, error.message, stage: "provider_call", retryAfter: error.retryAfter)
    }
}
