import DesignProviders
import HTTPTransport
import Testing

@Suite("OpenAIImagesProvider against a local Images API")
struct OpenAIImagesProviderTests {
    private func provider(_ server: ImageAPIServer, model: String = "gpt-image-1", timeout: Duration = .seconds(10)) -> OpenAIImagesProvider {
        OpenAIImagesProvider(baseURL: server.baseURL, apiKey: TestSupport.apiKey, model: model, http: TestSupport.http(timeout: timeout))
    }

    private static var success: ImageAPIServer.Reply {
        .json(200, #"{"created":1713833628,"data":[{"b64_json":"\#(TestSupport.pngBase64)"}],"usage":{"total_tokens":100}}"#)
    }

    @Test func generationSendsTheAPIsRequestAndDecodesThePNG() async throws {
        let server = try ImageAPIServer { _ in Self.success }
        let image = try await provider(server).generate(ImageRequest(prompt: "a fox in a hat", candidateIndex: 0, seed: 7))

        #expect(image.png == TestSupport.png)
        #expect(image.costUnits == 1)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/images/generations")
        #expect(request.header("Authorization") == "Bearer \(TestSupport.apiKey)")
        #expect(request.header("Content-Type") == "application/json")
        let json = TestSupport.jsonObject(request.body)
        #expect(json["model"] as? String == "gpt-image-1")
        #expect(json["prompt"] as? String == "a fox in a hat")
        #expect(json["n"] as? Int == 1)
        #expect(json["size"] as? String == "1024x1024")
        // GPT image models reject response_format and always answer in base64.
        #expect(json["response_format"] == nil)
    }

    @Test func dallEModelsAskForBase64() async throws {
        let server = try ImageAPIServer { _ in Self.success }
        _ = try await provider(server, model: "dall-e-3").generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1, size: 512))

        let json = TestSupport.jsonObject(try #require(server.requests.first).body)
        #expect(json["model"] as? String == "dall-e-3")
        #expect(json["response_format"] as? String == "b64_json")
        #expect(json["size"] as? String == "512x512")
    }

    @Test func feedbackWithAReferenceImageGoesToEditsAsMultipart() async throws {
        let server = try ImageAPIServer { _ in Self.success }
        let reference = TestSupport.png + [0x00] // distinguishable from the reply
        let image = try await provider(server).generate(ImageRequest(
            prompt: "a fox in a hat", candidateIndex: 1, seed: 7, feedback: "make it blue", referencePNG: reference))

        #expect(image.png == TestSupport.png)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/images/edits")
        #expect(request.header("Authorization") == "Bearer \(TestSupport.apiKey)")
        let form = try #require(MultipartBody(contentType: request.header("Content-Type") ?? "", body: request.body))
        let file = try #require(form.part("image"))
        #expect(file.body == reference)
        #expect(file.contentType == "image/png")
        #expect(file.filename == "reference.png")
        let prompt = try #require(form.part("prompt")?.text)
        #expect(prompt.hasPrefix("a fox in a hat"))
        #expect(prompt.contains("make it blue"))
        #expect(form.part("model")?.text == "gpt-image-1")
        #expect(form.part("n")?.text == "1")
        #expect(form.part("size")?.text == "1024x1024")
    }

    @Test func feedbackWithoutAReferenceIsAppendedToTheGenerationPrompt() async throws {
        let server = try ImageAPIServer { _ in Self.success }
        _ = try await provider(server).generate(ImageRequest(prompt: "a fox", candidateIndex: 0, seed: 1, feedback: "bigger hat"))

        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/images/generations")
        let prompt = try #require(TestSupport.jsonObject(request.body)["prompt"] as? String)
        #expect(prompt.hasPrefix("a fox"))
        #expect(prompt.contains("bigger hat"))
    }

    @Test func rateLimitedHonoursRetryAfterSeconds() async throws {
        let server = try ImageAPIServer { _ in
            .json(429, #"{"error":{"message":"Rate limit reached for images per minute","type":"requests","code":"rate_limit_exceeded"}}"#,
                  headers: [.init(name: "Retry-After", value: "17")])
        }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .rateLimited)
        #expect(error.retryAfter == .seconds(17))
        #expect(error.message.contains("Rate limit reached"))
    }

    @Test func rateLimitedHonoursRetryAfterHTTPDate() async throws {
        // A date far ahead, so the remaining wait is certainly positive whatever the clock.
        let server = try ImageAPIServer { _ in
            .json(429, #"{"error":{"message":"slow down","type":"requests","code":null}}"#,
                  headers: [.init(name: "Retry-After", value: "Fri, 01 Jan 2100 00:00:00 GMT")])
        }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .rateLimited)
        #expect((error.retryAfter ?? .zero) > .seconds(86_400))
    }

    @Test func exhaustedQuotaIsPermanentDespite429() async throws {
        let server = try ImageAPIServer { _ in
            .json(429, #"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#)
        }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("exceeded your current quota"))
    }

    @Test func serverErrorIsTransient() async throws {
        let server = try ImageAPIServer { _ in
            .json(500, #"{"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}"#)
        }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .transient)
        #expect(error.message.contains("HTTP 500"))
    }

    @Test func badRequestIsPermanentWithTheAPIsMessage() async throws {
        let server = try ImageAPIServer { _ in
            .json(400, #"{"error":{"message":"Your request was rejected as a result of our safety system.","type":"image_generation_user_error","code":"moderation_blocked"}}"#)
        }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("rejected as a result of our safety system"))
        #expect(error.message.contains("moderation_blocked"))
    }

    @Test func anEchoedKeyIsRedacted() async throws {
        let server = try ImageAPIServer { request in
            .json(401, #"{"error":{"message":"Incorrect API key provided: \#(request.header("Authorization") ?? "")","type":"invalid_request_error","code":"invalid_api_key"}}"#)
        }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("Incorrect API key provided: Bearer [redacted]"))
    }

    @Test(arguments: [
        (#"<html>502 Bad Gateway</html>"#, "not Images API JSON"),
        (#"{"created":1,"data":[]}"#, "no image"),
        (#"{"created":1,"data":[{"url":"https://example.invalid/a.png"}]}"#, "URL, not b64_json"),
        (#"{"created":1,"data":[{"b64_json":"%%%not base64%%%"}]}"#, "not valid base64"),
        (#"{"created":1,"data":[{"b64_json":"SGVsbG8sIHdvcmxkIQ=="}]}"#, "not a usable PNG"),
    ])
    func unusableSuccessBodiesArePermanent(body: String, reason: String) async throws {
        let server = try ImageAPIServer { _ in .json(200, body) }
        let error = try #require(await TestSupport.providerError { try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1)) })
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test func aSlowServerTimesOutAsTransient() async throws {
        let server = try ImageAPIServer { _ in .hang }
        let error = try #require(await TestSupport.providerError {
            try await provider(server, timeout: .milliseconds(500)).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1))
        })
        #expect(error.errorClass == .transient)
        #expect(error.message.contains("timeout"))
    }
}
