/// A complete response, serialised at once: every observability response is small and is
/// followed by `Connection: close`, so there is no streaming and no keep-alive state.
struct HTTPResponse: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var extraHeaders: [(name: String, value: String)] = []
    /// A response to HEAD: the head says what GET would send (its Content-Length), no body follows.
    var omitsBody = false

    init(status: Int, contentType: String = "text/plain; charset=utf-8", body: [UInt8], extraHeaders: [(name: String, value: String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.extraHeaders = extraHeaders
    }

    init(status: Int, text: String) {
        self.init(status: status, body: Array(text.utf8))
    }

    init(status: Int, json: String) {
        self.init(status: status, contentType: "application/json", body: Array(json.utf8))
    }

    func headOnly() -> HTTPResponse {
        var response = self
        response.omitsBody = true
        return response
    }

    var reason: String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    func serialized() -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        // Probes must see the state of now, never a cached answer.
        head += "Cache-Control: no-store\r\n"
        for header in extraHeaders { head += "\(header.name): \(header.value)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + (omitsBody ? [] : body)
    }
}
