import JobRuntime
import ProductFlow

/// What the API says about a failure: a code from a closed, documented set and a message
/// written for the shopper. The internal text (storage keys, setting names, provider
/// error names) stays in `products.failure_reason` and `jobs.last_error`, for the logs and
/// `itp-admin products show`; it never reaches an API response.
struct PublicFailure: Encodable, Sendable, Equatable {
    /// The closed set, documented in the OpenAPI document (`PublicFailure.code`).
    enum Code: String, Encodable, Sendable, CaseIterable {
        /// The image service refused the prompt or the feedback (content policy).
        case providerRejectedPrompt = "provider_rejected_prompt"
        /// The designs could not be made (provider outage, unusable images, …).
        case designGenerationFailed = "design_generation_failed"
        /// A mockup could not be made.
        case mockupFailed = "mockup_failed"
        /// Cancelled through the API or by an operator.
        case cancelled
        /// A temporary problem; the job is retried.
        case retrying
        /// Anything else.
        case failed
    }

    var code: Code
    var message: String

    init(_ code: Code) {
        self.code = code
        message = switch code {
        case .providerRejectedPrompt: "the image service refused this prompt or feedback; reword it and create a new product"
        case .designGenerationFailed: "the designs could not be generated; the reserved credits were refunded"
        case .mockupFailed: "the mockup images could not be made"
        case .cancelled: "cancelled"
        case .retrying: "a temporary problem; it is being retried"
        case .failed: "the product could not be completed; the reserved credits were refunded"
        }
    }

    /// A job's failure as the API shows it; nil when the job has none to show.
    static func job(kind: String, state: String, lastError: String?, errorClass: String?, stage: String?) -> PublicFailure? {
        if state == JobState.cancelled.rawValue { return PublicFailure(.cancelled) }
        guard let lastError else { return nil }
        if state == JobState.retrying.rawValue || state == JobState.queued.rawValue || state == JobState.running.rawValue {
            return PublicFailure(.retrying)
        }
        if state == JobState.succeeded.rawValue || state == JobState.superseded.rawValue { return nil }
        if stage == "cancelled" { return PublicFailure(.cancelled) }
        if kind.hasPrefix("mockup.") { return PublicFailure(.mockupFailed) }
        if kind == "design.generate" {
            return isPromptRejection(lastError: lastError, errorClass: errorClass, stage: stage)
                ? PublicFailure(.providerRejectedPrompt) : PublicFailure(.designGenerationFailed)
        }
        return PublicFailure(.failed)
    }

    /// A product's failure: from the job that failed it (the finalizer's reason names the
    /// step), or `cancelled`. `causes` are the product's current jobs.
    static func product(status: ProductStatus, internalReason: String?, causes: [(kind: String, failure: PublicFailure?)]) -> PublicFailure? {
        switch status {
        case .cancelled:
            return PublicFailure(.cancelled)
        case .failed:
            let reason = internalReason ?? ""
            let kind = reason.hasPrefix("design generation failed") ? "design.generate"
                : reason.hasPrefix("flat-lay mockup failed") ? "mockup.flat_lay" : nil
            if let kind, let failure = causes.first(where: { $0.kind == kind && $0.failure != nil })?.failure { return failure }
            if kind == "design.generate" { return PublicFailure(.designGenerationFailed) }
            if kind == "mockup.flat_lay" { return PublicFailure(.mockupFailed) }
            return PublicFailure(.failed)
        case .draft, .generatingDesigns, .awaitingSelection, .generatingMockups, .readyForSale:
            return nil
        }
    }

    /// A permanent refusal by the provider of what was asked (HTTP providers carry the
    /// provider's own message: content policy, safety system, moderation).
    private static func isPromptRejection(lastError: String, errorClass: String?, stage: String?) -> Bool {
        guard stage == "provider_call", errorClass == ErrorClass.permanent.rawValue else { return false }
        let text = lastError.lowercased()
        return ["content_policy", "content policy", "safety", "moderation", "prompt was rejected", "rejected the prompt"]
            .contains { text.contains($0) }
    }
}
