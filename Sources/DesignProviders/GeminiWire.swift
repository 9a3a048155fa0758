/// The Gemini API's `generateContent` JSON, as sent and received. Requests use the
/// snake_case field names the REST reference shows; responses come back in camelCase,
/// and both spellings are accepted when reading.
enum GeminiWire {
    struct Request: Encodable {
        var contents: [Content]
        var generationConfig: GenerationConfig
    }

    struct Content: Encodable {
        var parts: [RequestPart]
    }

    struct RequestPart: Encodable {
        var text: String?
        var inline_data: InlineData?
    }

    struct InlineData: Encodable {
        var mime_type: String
        var data: String
    }

    struct GenerationConfig: Encodable {
        var responseModalities: [String]
    }

    /// `candidates[].content.parts[]`, plus why nothing came back when nothing did.
    struct Response: Decodable {
        struct Candidate: Decodable {
            struct Content: Decodable {
                var parts: [ResponsePart]?
            }

            var content: Content?
            var finishReason: String?
        }

        struct PromptFeedback: Decodable {
            var blockReason: String?
        }

        var candidates: [Candidate]?
        var promptFeedback: PromptFeedback?
    }

    struct ResponsePart: Decodable {
        struct Blob: Decodable {
            var mimeType: String?
            var data: String?

            enum CodingKeys: String, CodingKey { case mimeType, mime_type, data }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                mimeType = try container.decodeIfPresent(String.self, forKey: .mimeType)
                    ?? container.decodeIfPresent(String.self, forKey: .mime_type)
                data = try container.decodeIfPresent(String.self, forKey: .data)
            }
        }

        var text: String?
        var inlineData: Blob?

        enum CodingKeys: String, CodingKey { case text, inlineData, inline_data }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decodeIfPresent(String.self, forKey: .text)
            inlineData = try container.decodeIfPresent(Blob.self, forKey: .inlineData)
                ?? container.decodeIfPresent(Blob.self, forKey: .inline_data)
        }
    }

    /// `{"error": {"code", "message", "status", "details": [{"@type", "retryDelay"}]}}`.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            struct Extra: Decodable {
                var type: String?
                var retryDelay: String?

                enum CodingKeys: String, CodingKey {
                    case type = "@type"
                    case retryDelay
                }
            }

            var code: Int?
            var message: String?
            var status: String?
            var details: [Extra]?
        }

        var error: Detail
    }
}
