import Foundation
public import HTTPTransport

/// Google's Gemini API with an image-output model (`gemini`):
/// `POST {base}/v1beta/models/{model}:generateContent` with the key in `x-goog-api-key`.
///
/// Regenerate-with-feedback sends the previous design as an `inline_data` part beside
/// the prompt, which is where this API takes an input image. A response whose parts
/// hold no image (a safety refusal, a text-only answer) is a permanent failure carrying
/// the model's text or finish reason.
public struct GeminiProvider: ImageProvider {
    public var name: String { ProviderKind.gemini.rawValue }
    public let model: String
    private let baseURL: String
    private let client: ImageAPIClient

    /// - Parameters:
    ///   - baseURL: e.g. `https://generativelanguage.googleapis.com`, without a trailing slash.
    ///   - model: a path-safe model name (``ProviderConfiguration`` checks it).
    ///   - http: its ``HTTPClientConfiguration`` carries the call's timeouts and size limit.
    public init(baseURL: String, apiKey: String, model: String = ProviderKind.gemini.defaultModel, http: HTTPClient) {
        self.model = model
        self.baseURL = baseURL
        client = ImageAPIClient(providerName: ProviderKind.gemini.rawValue, http: http, apiKey: apiKey) { body in
            guard let decoded = try? JSONDecoder().decode(GeminiWire.ErrorBody.self, from: Data(body)),
                  let message = decoded.error.message
            else { return nil }
            // Gemini states its 429 delay in the body (google.rpc.RetryInfo), not a header.
            let delay = decoded.error.details?
                .first { $0.type?.hasSuffix("google.rpc.RetryInfo") == true }?
                .retryDelay.flatMap(Self.duration(protobufText:))
            return .init(message: message, code: decoded.error.status, retryAfter: delay)
        }
    }

    /// One image. Costs 1 unit (one image generated).
    public func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        let body = try await client.send(makeHTTPRequest(for: request))
        return GeneratedImage(png: try decodeImage(body), costUnits: 1)
    }

    func makeHTTPRequest(for request: ImageRequest) throws(ProviderError) -> HTTPRequest {
        var parts = [GeminiWire.RequestPart(text: request.promptWithFeedback)]
        if let reference = request.referencePNG {
            parts.append(.init(inline_data: .init(mime_type: "image/png", data: Data(reference).base64EncodedString())))
        }
        let json = GeminiWire.Request(
            contents: [.init(parts: parts)],
            generationConfig: .init(responseModalities: ["TEXT", "IMAGE"]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(json) else {
            throw client.failure(.permanent, "cannot encode the request JSON")
        }
        let headers: HTTPHeaders = [
            "x-goog-api-key": client.apiKey, "Content-Type": "application/json", "Accept": "application/json",
        ]
        return HTTPRequest(
            method: .post, url: "\(baseURL)/v1beta/models/\(model):generateContent", headers: headers, body: [UInt8](data))
    }

    func decodeImage(_ body: [UInt8]) throws(ProviderError) -> [UInt8] {
        guard let response = try? JSONDecoder().decode(GeminiWire.Response.self, from: Data(body)) else {
            throw client.failure(.permanent, "response is not generateContent JSON (\(body.count) bytes)")
        }
        let candidate = response.candidates?.first
        let parts = candidate?.content?.parts ?? []
        guard let image = parts.lazy.compactMap(\.inlineData).first(where: { $0.data != nil }), let base64 = image.data else {
            throw client.failure(.permanent, Self.noImageReason(parts: parts, candidate: candidate, feedback: response.promptFeedback))
        }
        if let type = image.mimeType, type.lowercased() != "image/png" {
            throw client.failure(.permanent, "image is \(type), not image/png")
        }
        return try PNGPayload.decode(base64: base64, using: client)
    }

    /// The model's own words when it gave any, else whatever the response says about why.
    static func noImageReason(
        parts: [GeminiWire.ResponsePart], candidate: GeminiWire.Response.Candidate?, feedback: GeminiWire.Response.PromptFeedback?
    ) -> String {
        let text = parts.compactMap(\.text).joined(separator: " ").trimmingASCIIWhitespace()
        if !text.isEmpty { return "no image in the response: \(text)" }
        if let reason = feedback?.blockReason { return "prompt blocked: \(reason)" }
        if let reason = candidate?.finishReason { return "no image in the response (finish reason \(reason))" }
        return "no image in the response"
    }

    /// A protobuf JSON duration such as `"37s"` or `"1.5s"`.
    static func duration(protobufText text: String) -> Duration? {
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
