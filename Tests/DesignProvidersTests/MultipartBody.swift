import Foundation

/// Splits a `multipart/form-data` body into named parts, to check what a provider sent.
struct MultipartBody {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    var parts: [Part] = []

    /// `nil` when the content type has no boundary or the body does not close properly.
    init?(contentType: String, body: [UInt8]) {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = String(contentType[range.upperBound...])
        let delimiter = Array("--\(boundary)".utf8)
        guard body.firstRange(of: Array("--\(boundary)--".utf8)) != nil else { return nil }
        var rest = body[...]
        while let start = rest.firstRange(of: delimiter) {
            rest = rest[start.upperBound...]
            guard rest.starts(with: Array("\r\n".utf8)) else { break } // "--": the closing delimiter
            rest = rest.dropFirst(2)
            guard let headerEnd = rest.firstRange(of: Array("\r\n\r\n".utf8)),
                  let next = rest.firstRange(of: Array("\r\n".utf8) + delimiter)
            else { return nil }
            let headers = String(decoding: rest[..<headerEnd.lowerBound], as: UTF8.self)
            parts.append(Part(
                name: Self.parameter("name", in: headers) ?? "",
                filename: Self.parameter("filename", in: headers),
                contentType: headers.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-type:") }
                    .map { String($0.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces) },
                body: Array(rest[headerEnd.upperBound..<next.lowerBound])))
            rest = rest[(next.lowerBound + 2)...]
        }
    }

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    private static func parameter(_ name: String, in headers: String) -> String? {
        guard let range = headers.range(of: "\(name)=\"") else { return nil }
        let value = headers[range.upperBound...]
        return value.firstIndex(of: "\"").map { String(value[..<$0]) }
    }
}
