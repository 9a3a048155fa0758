/// A `multipart/form-data` body (RFC 7578), for APIs that take a file upload.
struct MultipartFormData {
    /// Random so it cannot plausibly occur inside the binary parts.
    let boundary: String
    private(set) var body: [UInt8] = []

    init(boundary: String = "itp-" + String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16)) {
        self.boundary = boundary
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func addField(_ name: String, _ value: String) {
        appendPartHeader("Content-Disposition: form-data; name=\"\(name)\"")
        body += Array(value.utf8)
        body += Array("\r\n".utf8)
    }

    mutating func addFile(_ name: String, filename: String, contentType: String, bytes: [UInt8]) {
        appendPartHeader("Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)")
        body += bytes
        body += Array("\r\n".utf8)
    }

    /// The complete body, closing delimiter included.
    func finished() -> [UInt8] {
        body + Array("--\(boundary)--\r\n".utf8)
    }

    private mutating func appendPartHeader(_ header: String) {
        body += Array("--\(boundary)\r\n\(header)\r\n\r\n".utf8)
    }
}
