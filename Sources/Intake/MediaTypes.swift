/// The content types the API answers with (each documented in the OpenAPI document).
enum MediaTypes {
    static let json = "application/json"
    static let problemJSON = "application/problem+json"
    static let eventStream = "text/event-stream"
    static let yaml = "application/yaml"
    static let png = "image/png"
}
