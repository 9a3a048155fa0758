import Foundation

/// Validation of the free-text members (prompt, feedback).
enum TextField {
    /// At most `maxLength` Unicode scalars as sent (as the OpenAPI `maxLength` and Postgres
    /// count characters), then trimmed of surrounding whitespace and not empty; no NUL or
    /// other control characters except tab and newlines.
    static func validate(_ value: String, field: String, maxLength: Int = 2000) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw APIProblem.validation("\(field) must not be empty", field: field) }
        guard value.unicodeScalars.count <= maxLength else {
            throw APIProblem.validation("\(field) must be at most \(maxLength) characters", field: field)
        }
        let allowedControls: Set<Unicode.Scalar> = ["\t", "\n", "\r"]
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowedControls.contains($0) }) else {
            throw APIProblem.validation("\(field) must not contain control characters", field: field)
        }
        return trimmed
    }
}
