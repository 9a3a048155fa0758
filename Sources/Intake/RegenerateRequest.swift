/// `POST /v1/products/{id}/regenerate` body: `{feedback}` (1–2000 characters).
struct RegenerateRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["feedback"]

    var feedback: String

    private enum CodingKeys: String, CodingKey {
        case feedback
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let raw = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .feedback)
        feedback = try TextField.validate(raw, field: "feedback")
    }
}
