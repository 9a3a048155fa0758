import Foundation
import Intake
import Testing

/// The operations of the served OpenAPI document (paths, methods, response status codes
/// and their content types), read by a deliberately small reader of the document's
/// block-style YAML (two-space indentation, as the document is written), so a test can
/// hold every response to it without a YAML dependency.
struct OpenAPIContract: Sendable {
    struct Operation: Sendable, Hashable {
        var method: String
        var path: String
    }

    /// status code → content types (empty: no body) for each operation.
    var operations: [Operation: [String: Set<String>]]

    static let shared: OpenAPIContract = {
        do {
            return try OpenAPIContract(yaml: OpenAPIDocument.text())
        } catch {
            preconditionFailure("cannot read the OpenAPI document: \(error)")
        }
    }()

    init(yaml: String) throws {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sharedResponses = Self.componentResponses(lines)
        var operations: [Operation: [String: Set<String>]] = [:]
        var inPaths = false
        var path: String?
        var method: String?
        var inResponses = false
        var status: String?
        var inContent = false
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            if indent == 0 { inPaths = text == "paths:"; continue }
            guard inPaths else { continue }
            switch indent {
            case 2:
                path = Self.key(text)
                method = nil
            case 4:
                method = Self.key(text)?.uppercased()
                inResponses = false
                if let path, let method { operations[Operation(method: method, path: path), default: [:]] = [:] }
            case 6:
                inResponses = text == "responses:"
            case 8 where inResponses:
                status = Self.key(text)
                inContent = false
                if let path, let method, let status { operations[Operation(method: method, path: path)]?[status] = [] }
            case 10 where inResponses:
                inContent = text == "content:"
                if text.hasPrefix("$ref:"), let path, let method, let status {
                    let name = String(text.split(separator: "/").last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
                    operations[Operation(method: method, path: path)]?[status] = sharedResponses[name] ?? []
                }
            case 12 where inResponses && inContent:
                if let path, let method, let status, let type = Self.key(text) {
                    operations[Operation(method: method, path: path)]?[status, default: []].insert(type)
                }
            default:
                break
            }
        }
        self.operations = operations
    }

    /// `components.responses.<Name>.content.<type>`.
    private static func componentResponses(_ lines: [String]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        var inComponents = false, inResponses = false, inContent = false
        var name: String?
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if indent == 0 { inComponents = text == "components:"; continue }
            guard inComponents else { continue }
            if indent == 2 { inResponses = text == "responses:"; continue }
            guard inResponses else { continue }
            if indent == 4 { name = key(text); inContent = false; if let name { result[name] = [] } }
            if indent == 6 { inContent = text == "content:" }
            if indent == 8, inContent, let name, let type = key(text) { result[name, default: []].insert(type) }
        }
        return result
    }

    /// `key:` → `key`, without quotes; nil for list items and `key: value` lines.
    private static func key(_ text: String) -> String? {
        guard text.hasSuffix(":"), !text.hasPrefix("-") else { return nil }
        return String(text.dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
    }

    /// The documented operation a concrete request path belongs to.
    func operation(method: String, path: String) -> Operation? {
        let concrete = path.split(separator: "?").first.map(String.init) ?? path
        let segments = concrete.split(separator: "/", omittingEmptySubsequences: false)
        return operations.keys.first { operation in
            guard operation.method == method else { return false }
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0 == $1 || ($0.hasPrefix("{") && $0.hasSuffix("}")) }
        }
    }

    /// Records an issue when the response's status or content type is not documented.
    func check(method: String, path: String, status: Int, contentType: String?, sourceLocation: SourceLocation) {
        guard let operation = operation(method: method, path: path) else {
            // Undocumented requests (unknown routes) must be problems.
            #expect(contentType == "application/problem+json", "undocumented \(method) \(path) answered \(contentType ?? "nothing")",
                    sourceLocation: sourceLocation)
            return
        }
        guard let types = operations[operation]?[String(status)] else {
            Issue.record("\(method) \(operation.path) answered \(status), which the OpenAPI document does not list",
                         sourceLocation: sourceLocation)
            return
        }
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(type.map(types.contains) ?? types.isEmpty,
                "\(method) \(operation.path) \(status) answered \(contentType ?? "no content type"); documented: \(types.sorted())",
                sourceLocation: sourceLocation)
    }
}
