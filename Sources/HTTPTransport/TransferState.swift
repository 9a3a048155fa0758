/// What libcurl's callbacks write into during one transfer. Only touched by
/// the thread running `curl_easy_perform`; the cancellation flag is the one
/// piece shared with other threads.
final class TransferState {
    let maxBodyBytes: Int
    let cancellation: CancellationFlag?
    private(set) var body: [UInt8] = []
    private(set) var headers = HTTPHeaders()
    /// Set when the write callback refused data because of `maxBodyBytes`.
    private(set) var bodyLimitExceeded = false

    init(maxBodyBytes: Int, cancellation: CancellationFlag?) {
        self.maxBodyBytes = maxBodyBytes
        self.cancellation = cancellation
    }

    /// Returns `false` (and keeps nothing) once the body would exceed the limit,
    /// so libcurl aborts with `CURLE_WRITE_ERROR` without buffering the rest.
    func appendBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard chunk.count <= maxBodyBytes - body.count else {
            bodyLimitExceeded = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// libcurl delivers one header line per call, status lines included.
    /// Each status line starts a new response (`100 Continue`, redirects), so
    /// only the final response's fields survive.
    func appendHeaderLine(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = String(text[..<colon]).trimmingASCIISpaces()
        let value = String(text[text.index(after: colon)...]).trimmingASCIISpaces()
        guard !name.isEmpty else { return }
        headers.add(name: name, value: value)
    }
}
