/// A request body type that rejects members it does not know. Unknown members are an
/// error rather than ignored, so a client's typo (`"candiates"`) is reported instead of
/// silently falling back to a default.
protocol StrictRequestBody: Decodable {
    /// The member names the body accepts.
    static var members: Set<String> { get }
}

extension StrictRequestBody {
    /// Throws `validation_failed` naming the first unknown member (in sorted order).
    static func rejectUnknownMembers(in decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyMember.self)
        if let unknown = container.allKeys.map(\.stringValue).filter({ !members.contains($0) }).sorted().first {
            throw APIProblem.validation("unknown member '\(unknown)'", field: unknown)
        }
    }
}

/// Any JSON object member name.
struct AnyMember: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
