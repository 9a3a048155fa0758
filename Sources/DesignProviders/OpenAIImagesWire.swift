/// The OpenAI Images API's JSON, as sent and received (`/v1/images/generations` and
/// `/v1/images/edits`). Field names are the API's own.
enum OpenAIImagesWire {
    /// The generations request body.
    struct GenerationBody: Encodable {
        var model: String
        var prompt: String
        var n: Int
        var size: String
        /// Only the DALL·E models take it; GPT image models reject it as an unknown
        /// parameter and always answer with `b64_json`. `nil` is left out of the JSON.
        var response_format: String?
    }

    /// `{"created": …, "data": [{"b64_json": "…"}], "usage": {…}}`.
    struct ImagesResponse: Decodable {
        struct Item: Decodable {
            var b64_json: String?
            var url: String?
        }

        var created: Int?
        var data: [Item]?
    }

    /// `{"error": {"message", "type", "code"}}`.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var code: String?

            enum CodingKeys: String, CodingKey { case message, type, code }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                message = try? container.decodeIfPresent(String.self, forKey: .message)
                type = try? container.decodeIfPresent(String.self, forKey: .type)
                // `code` is a string, null, or (from some proxies) a number: never fail on it.
                code = (try? container.decodeIfPresent(String.self, forKey: .code))
                    ?? (try? container.decodeIfPresent(Int.self, forKey: .code)).flatMap { $0.map(String.init) }
            }
        }

        var error: Detail
    }
}
