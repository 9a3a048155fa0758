import Foundation
public import HTTPTransport

/// The OpenAI Images API (`openai-images`).
///
/// A fresh design is `POST {base}/v1/images/generations` with a JSON body; a
/// regenerate-with-feedback call that carries the previous design is
/// `POST {base}/v1/images/edits` as `multipart/form-data`, because that endpoint is where
/// this API takes an input image. Feedback is appended to the prompt in both cases.
/// Authentication is `Authorization: Bearer KEY`.
public struct OpenAIImagesProvider: ImageProvider {
    public var name: String { ProviderKind.openAIImages.rawValue }
    public let model: String
    private let baseURL: String
    private let client: ImageAPIClient

    /// - Parameters:
    ///   - baseURL: e.g. `https://api.openai.com`, without a trailing slash.
    ///   - http: its ``HTTPClientConfiguration`` carries the call's timeouts and size limit.
    public init(baseURL: String, apiKey: String, model: String = ProviderKind.openAIImages.defaultModel, http: HTTPClient) {
        self.model = model
        self.baseURL = baseURL
        client = ImageAPIClient(providerName: ProviderKind.openAIImages.rawValue, http: http, apiKey: apiKey) { body in
            guard let decoded = try? JSONDecoder().decode(OpenAIImagesWire.ErrorBody.self, from: Data(body)),
                  let message = decoded.error.message
            else { return nil }
            return .init(message: message, code: decoded.error.code ?? decoded.error.type)
        }
    }

    /// One image. Costs 1 unit (the API bills per image).
    public func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        let body = try await client.send(makeHTTPRequest(for: request))
        return GeneratedImage(png: try decodeImage(body), costUnits: 1)
    }

    func makeHTTPRequest(for request: ImageRequest) throws(ProviderError) -> HTTPRequest {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(client.apiKey)", "Accept": "application/json"]
        let prompt = request.promptWithFeedback
        let size = "\(request.size)x\(request.size)"
        let responseFormat = takesResponseFormat ? "b64_json" : nil

        if let reference = request.referencePNG {
            var form = MultipartFormData()
            form.addFile("image", filename: "reference.png", contentType: "image/png", bytes: reference)
            form.addField("prompt", prompt)
            form.addField("model", model)
            form.addField("n", "1")
            form.addField("size", size)
            if let responseFormat { form.addField("response_format", responseFormat) }
            headers.add(name: "Content-Type", value: form.contentType)
            return HTTPRequest(method: .post, url: baseURL + "/v1/images/edits", headers: headers, body: form.finished())
        }

        let json = OpenAIImagesWire.GenerationBody(model: model, prompt: prompt, n: 1, size: size, response_format: responseFormat)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(json) else {
            throw client.failure(.permanent, "cannot encode the request JSON")
        }
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPRequest(method: .post, url: baseURL + "/v1/images/generations", headers: headers, body: [UInt8](data))
    }

    func decodeImage(_ body: [UInt8]) throws(ProviderError) -> [UInt8] {
        guard let response = try? JSONDecoder().decode(OpenAIImagesWire.ImagesResponse.self, from: Data(body)) else {
            throw client.failure(.permanent, "response is not Images API JSON (\(body.count) bytes)")
        }
        guard let base64 = response.data?.lazy.compactMap(\.b64_json).first else {
            let hasURL = response.data?.contains { $0.url != nil } ?? false
            throw client.failure(.permanent, hasURL ? "response carries an image URL, not b64_json" : "response contains no image")
        }
        return try PNGPayload.decode(base64: base64, using: client)
    }

    /// The DALL·E models need `response_format: b64_json` to answer with bytes instead
    /// of a URL; the GPT image models always return base64 and reject the parameter.
    var takesResponseFormat: Bool { model.lowercased().hasPrefix("dall-e") }
}
