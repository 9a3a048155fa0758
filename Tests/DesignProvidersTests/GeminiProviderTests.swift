import DesignProviders
import Foundation
import HTTPTransport
import Testing

@Suite("GeminiProvider against a local generateContent API")
struct GeminiProviderTests {
    private func provider(_ server: ImageAPIServer, timeout: Duration = .seconds(10)) -> GeminiProvider {
        GeminiProvider(baseURL: server.baseURL, apiKey: TestSupport.apiKey, model: "gemini-2.5-flash-image", http: TestSupport.http(timeout: timeout))
    }

    private func failure(_ server: ImageAPIServer, timeout: Duration = .seconds(10)) async throws -> ProviderError {
        try #require(await TestSupport.providerError {
            try await provider(server, timeout: timeout).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1))
        })
    }

    /// A response as the API sends it: camelCase, a text part before the image part.
    private static func success(dataKey: String = "inlineData", mimeKey: String = "mimeType") -> ImageAPIServer.Reply {
        .json(200, #"""
        {"candidates":[{"content":{"role":"model","parts":[{"text":"Here is your design."},
        {"\#(dataKey)":{"\#(mimeKey)":"image/png","data":"\#(TestSupport.pngBase64)"}}]},"finishReason":"STOP","index":0}],
        "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1290,"totalTokenCount":1299},"modelVersion":"gemini-2.5-flash-image"}
        """#)
    }

    @Test func generateContentSendsTheAPIsRequestAndDecodesThePNG() async throws {
        let server = try ImageAPIServer { _ in Self.success() }
        let image = try await provider(server).generate(ImageRequest(prompt: "a fox in a hat", candidateIndex: 0, seed: 7))

        #expect(image.png == TestSupport.png)
        #expect(image.costUnits == 1)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1beta/models/gemini-2.5-flash-image:generateContent")
        #expect(request.header("x-goog-api-key") == TestSupport.apiKey)
        #expect(request.header("Authorization") == nil)
        #expect(request.header("Content-Type") == "application/json")
        let json = TestSupport.jsonObject(request.body)
        let contents = try #require(json["contents"] as? [[String: Any]])
        let parts = try #require(contents.first?["parts"] as? [[String: Any]])
        #expect(parts.count == 1)
        #expect(parts.first?["text"] as? String == "a fox in a hat")
        let config = try #require(json["generationConfig"] as? [String: Any])
        #expect(config["responseModalities"] as? [String] == ["TEXT", "IMAGE"])
    }

    @Test func snakeCaseInlineDataIsAcceptedToo() async throws {
        let server = try ImageAPIServer { _ in Self.success(dataKey: "inline_data", mimeKey: "mime_type") }
        let image = try await provider(server).generate(ImageRequest(prompt: "p", candidateIndex: 0, seed: 1))
        #expect(image.png == TestSupport.png)
    }

    @Test func feedbackAndReferenceImageAreSentAsInlineData() async throws {
        let server = try ImageAPIServer { _ in Self.success() }
        let reference = TestSupport.png + [0x00]
        _ = try await provider(server).generate(ImageRequest(
            prompt: "a fox in a hat", candidateIndex: 2, seed: 7, feedback: "make it blue", referencePNG: reference))

        let json = TestSupport.jsonObject(try #require(server.requests.first).body)
        let parts = try #require((json["contents"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])
        #expect(parts.count == 2)
        let prompt = try #require(parts.first?["text"] as? String)
        #expect(prompt.hasPrefix("a fox in a hat"))
        #expect(prompt.contains("make it blue"))
        let inline = try #require(parts.last?["inline_data"] as? [String: Any])
        #expect(inline["mime_type"] as? String == "image/png")
        let data = try #require(inline["data"] as? String)
        #expect(Data(base64Encoded: data).map { [UInt8]($0) } == reference)
    }

    @Test func rateLimitedHonoursRetryAfterHeader() async throws {
        let server = try ImageAPIServer { _ in
            .json(429, #"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"#,
                  headers: [.init(name: "Retry-After", value: "9")])
        }
        let error = try await failure(server)
        #expect(error.errorClass == .rateLimited)
        #expect(error.retryAfter == .seconds(9))
        #expect(error.message.contains("Resource has been exhausted"))
    }

    @Test func rateLimitedFallsBackToTheBodysRetryInfo() async throws {
        let server = try ImageAPIServer { _ in
            .json(429, #"""
            {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
            "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
            {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}
            """#)
        }
        let error = try await failure(server)
        #expect(error.errorClass == .rateLimited)
        #expect(error.retryAfter == .seconds(37))
    }

    @Test func serverErrorIsTransient() async throws {
        let server = try ImageAPIServer { _ in
            .json(500, #"{"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}"#)
        }
        let error = try await failure(server)
        #expect(error.errorClass == .transient)
        #expect(error.message.contains("An internal error has occurred"))
    }

    @Test func badRequestIsPermanentWithTheAPIsMessage() async throws {
        let server = try ImageAPIServer { _ in
            .json(400, #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#)
        }
        let error = try await failure(server)
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("API key not valid"))
        #expect(error.message.contains("INVALID_ARGUMENT"))
    }

    @Test func aTextOnlyAnswerIsPermanentWithTheModelsText() async throws {
        let server = try ImageAPIServer { _ in
            .json(200, #"{"candidates":[{"content":{"role":"model","parts":[{"text":"I can't help create that image."}]},"finishReason":"STOP"}]}"#)
        }
        let error = try await failure(server)
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("I can't help create that image."))
    }

    @Test func aBlockedPromptIsPermanentWithTheReason() async throws {
        let server = try ImageAPIServer { _ in .json(200, #"{"promptFeedback":{"blockReason":"SAFETY"}}"#) }
        let error = try await failure(server)
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains("SAFETY"))
    }

    @Test(arguments: [
        ("not json at all", "not generateContent JSON"),
        (#"{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"***"}}]}}]}"#, "not valid base64"),
        (#"{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"SGVsbG8="}}]}}]}"#, "not a usable PNG"),
        (#"{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/jpeg","data":"SGVsbG8="}}]}}]}"#, "image/jpeg"),
    ])
    func unusableSuccessBodiesArePermanent(body: String, reason: String) async throws {
        let server = try ImageAPIServer { _ in .json(200, body) }
        let error = try await failure(server)
        #expect(error.errorClass == .permanent)
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test func aSlowServerTimesOutAsTransient() async throws {
        let server = try ImageAPIServer { _ in .hang }
        let error = try await failure(server, timeout: .milliseconds(500))
        #expect(error.errorClass == .transient)
        #expect(error.message.contains("timeout"))
    }

    @Test func aConnectionClosedWithoutAnswerIsTransient() async throws {
        let server = try ImageAPIServer { _ in .closeWithoutReply }
        let error = try await failure(server)
        #expect(error.errorClass == .transient)
    }
}
