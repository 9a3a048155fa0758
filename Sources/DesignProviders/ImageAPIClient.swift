import HTTPTransport

/// The HTTP half shared by the API providers: sends one request and turns every failure
/// into a classified ``ProviderError`` (DESIGN.md §6, STYLE.md point 8).
///
/// 429 → `rate_limited` with the server's delay; 408, 5xx, timeouts and broken
/// connections → `transient`; other statuses → `permanent` with the provider's own
/// message. Every message passes through ``redact(_:)`` so the key cannot leak even if a
/// server or proxy echoes it back.
struct ImageAPIClient: Sendable {
    /// What a provider reads from its error body.
    struct APIErrorDetails: Sendable {
        var message: String
        /// The API's own error code or status (`insufficient_quota`, `RESOURCE_EXHAUSTED`).
        var code: String?
        /// A delay the body asks for when no `Retry-After` header was sent (Gemini's `RetryInfo`).
        var retryAfter: Duration?
    }

    let providerName: String
    let http: HTTPClient
    let apiKey: String
    /// Reads the API's error JSON; `nil` when the body is not in that shape.
    let parseError: @Sendable ([UInt8]) -> APIErrorDetails?

    /// Sends `request` and returns the body of a 2xx response.
    func send(_ request: HTTPRequest) async throws(ProviderError) -> [UInt8] {
        let response: HTTPResponse
        do {
            response = try await http.perform(request)
        } catch {
            throw classify(error)
        }
        guard response.isSuccess else { throw classify(response) }
        return response.body
    }

    func classify(_ error: HTTPError) -> ProviderError {
        // `description` names the code only: no URL, header or body can leak from it.
        switch error.code {
        case .responseTooLarge:
            return failure(.permanent, "response larger than \(http.configuration.maxResponseBytes) bytes")
        case .cancelled:
            // The worker is shutting down: the job must run again, not be dead-lettered.
            return failure(.transient, "call cancelled (\(error))")
        default:
            return failure(error.isRetriable ? .transient : .permanent, "request failed: \(error)")
        }
    }

    func classify(_ response: HTTPResponse) -> ProviderError {
        let details = parseError(response.body)
        let said = details.map { details in
            details.code.map { "\($0): \(details.message)" } ?? details.message
        } ?? "no error message in the body"
        let message = "HTTP \(response.status): \(said)"
        switch response.status {
        case 429 where details?.code == "insufficient_quota":
            // OpenAI's "billing exhausted" is a 429 too, but waiting never fixes it.
            return failure(.permanent, message)
        case 429:
            let retryAfter = response.retryAfterSeconds().map { Duration.seconds($0) } ?? details?.retryAfter
            return failure(.rateLimited, message, retryAfter: retryAfter)
        case 408, 500...599:
            return failure(.transient, message)
        default:
            return failure(.permanent, message)
        }
    }

    /// A failure prefixed with the provider name, with the key scrubbed out.
    func failure(_ errorClass: ProviderError.Class, _ message: String, retryAfter: Duration? = nil) -> ProviderError {
        ProviderError(errorClass, redact("\(providerName): \(message)"), retryAfter: retryAfter)
    }

    func redact(_ text: String) -> String {
        guard !apiKey.isEmpty else { return text }
        return text.replacing(apiKey, with: "[redacted]")
    }
}
