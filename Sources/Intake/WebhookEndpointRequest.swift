import ProductFlow

/// `POST /v1/webhook-endpoints` body: `{url, event_types}`.
struct WebhookEndpointRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["url", "event_types"]

    var url: String
    var eventTypes: [WebhookEventType]

    private enum CodingKeys: String, CodingKey {
        case url, eventTypes = "event_types"
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        guard (1...2048).contains(url.utf8.count) else {
            throw APIProblem.validation("url must be 1 to 2048 characters", field: "url")
        }
        let names = try container.decode([String].self, forKey: .eventTypes)
        let allowed = WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")
        var types: [WebhookEventType] = []
        for name in names {
            guard let type = WebhookEventType(rawValue: name) else {
                throw APIProblem.validation("unknown event type '\(name)'; the event types are \(allowed)", field: "event_types")
            }
            if !types.contains(type) { types.append(type) }
        }
        guard !types.isEmpty else { throw APIProblem.validation("name at least one event type: \(allowed)", field: "event_types") }
        eventTypes = types
    }
}
