import CCurl

/// Sends HTTP requests through libcurl with the limits of its
/// ``HTTPClientConfiguration``.
///
/// Each call uses its own easy handle on the calling thread (blocking
/// variant) or on a dedicated dispatch thread (async variant), so one client
/// may be shared freely. Connections are not reused between calls.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    /// Sends `request` and waits for the whole response, blocking the calling
    /// thread. Do not call this from the Swift concurrency pool; use the
    /// `async` overload there.
    ///
    /// Every HTTP status is a response; only transport failures, limits and
    /// invalid requests throw.
    public func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        try perform(request, cancellation: nil)
    }

    func perform(_ request: HTTPRequest, cancellation: CancellationFlag?) throws(HTTPError) -> HTTPResponse {
        try request.validate()
        guard let handle = CurlEasyHandle() else {
            throw HTTPError(code: .other, detail: "curl_easy_init failed")
        }
        let isHead = request.method == .head
        // A HEAD response's Content-Length describes a body that never comes,
        // so libcurl's up-front size check must not see it.
        let state = TransferState(maxBodyBytes: isHead ? 0 : configuration.maxResponseBytes, cancellation: cancellation)
        try configure(handle, for: request, state: state)

        let code = withExtendedLifetime(state) { handle.perform() }
        guard code == CURLE_OK else {
            throw HTTPError(
                code: HTTPError.Code(curlCode: Int(code.rawValue), connected: Self.wasConnected(handle, request), bodyLimitExceeded: state.bodyLimitExceeded),
                curlCode: Int(code.rawValue),
                detail: handle.errorMessage(for: code)
            )
        }
        return HTTPResponse(status: handle.info(CURLINFO_RESPONSE_CODE), headers: state.headers, body: state.body)
    }

    private func configure(_ handle: CurlEasyHandle, for request: HTTPRequest, state: TransferState) throws(HTTPError) {
        try handle.set(CURLOPT_URL, request.url)
        // Signals are process-wide and unsafe with many threads. Resolve
        // timeouts still hold because Debian's libcurl resolves asynchronously.
        try handle.set(CURLOPT_NOSIGNAL, 1)
        try handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try handle.set(CURLOPT_FOLLOWLOCATION, 0)
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        try handle.set(CURLOPT_TIMEOUT_MS, configuration.totalTimeout.curlMilliseconds)
        if let lowSpeed = configuration.lowSpeedLimit {
            try handle.set(CURLOPT_LOW_SPEED_LIMIT, lowSpeed.bytesPerSecond)
            try handle.set(CURLOPT_LOW_SPEED_TIME, max(1, lowSpeed.duration.curlMilliseconds / 1000))
        }
        try handle.set(CURLOPT_USERAGENT, configuration.userAgent)
        if request.method != .head {
            // Rejects an announced Content-Length above the limit before any body arrives.
            try handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(configuration.maxResponseBytes))
        }

        let context = Unmanaged.passUnretained(state).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try handle.set(CURLOPT_WRITEFUNCTION, callback: { data, size, count, context in
            guard let context else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            // Returning anything but `length` makes libcurl fail with CURLE_WRITE_ERROR.
            return state.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        })
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try handle.set(CURLOPT_HEADERFUNCTION, callback: { data, size, count, context in
            guard let context else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            state.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
            return length
        })
        if state.cancellation != nil {
            try handle.set(CURLOPT_NOPROGRESS, 0)
            try handle.set(CURLOPT_XFERINFODATA, pointer: context)
            // libcurl calls this at least once a second, so cancellation lands within a second.
            try handle.set(progress: { context, _, _, _, _ in
                guard let context else { return 1 }
                let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
                return state.cancellation?.isCancelled == true ? 1 : 0
            })
        }

        try configureMethodAndBody(handle, for: request)
        try handle.setHeaders(headerLines(for: request))
        if !request.resolve.isEmpty { try handle.setResolve(request.resolve) }

        if let credentials = request.awsSigV4 {
            try handle.set(CURLOPT_AWS_SIGV4, credentials.curlProvider)
            try handle.set(CURLOPT_USERNAME, credentials.accessKeyID)
            try handle.set(CURLOPT_PASSWORD, credentials.secretAccessKey)
        }
    }

    private func configureMethodAndBody(_ handle: CurlEasyHandle, for request: HTTPRequest) throws(HTTPError) {
        switch request.method {
        case .head:
            try handle.set(CURLOPT_NOBODY, 1)
        case .get where request.body == nil:
            try handle.set(CURLOPT_HTTPGET, 1)
        case .post:
            try handle.set(CURLOPT_POST, 1)
        default:
            try handle.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let body = request.body, request.method != .head {
            // The body is handed over as "post fields" for every method, so that
            // libcurl's SigV4 signer (which hashes only post fields) sees it.
            try handle.setBody(body)
        }
    }

    private func headerLines(for request: HTTPRequest) -> [String] {
        var lines = request.headers.map { field in
            // "Name:" alone would tell libcurl to drop the header; "Name;" sends it empty.
            field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
        }
        guard request.body != nil else { return lines }
        // Without this libcurl labels every body application/x-www-form-urlencoded.
        // A real header rather than the removal form "Content-Type:", because
        // libcurl 7.88's SigV4 signer signs removal entries as empty headers
        // it never sends, which breaks the signature.
        if !request.headers.contains("Content-Type") {
            lines.append("Content-Type: application/octet-stream")
        }
        // A 100-continue round trip only adds latency for a body we already
        // hold (libcurl asks for one above 1 MiB). Signed requests keep it,
        // for the same signer reason.
        if request.awsSigV4 == nil, !request.headers.contains("Expect") {
            lines.append("Expect:")
        }
        return lines
    }

    /// Whether the failed transfer got past connecting (and the TLS handshake).
    private static func wasConnected(_ handle: CurlEasyHandle, _ request: HTTPRequest) -> Bool {
        if handle.info(CURLINFO_REQUEST_SIZE) > 0 { return true }
        let isTLS = request.url.lowercased().hasPrefix("https://")
        return handle.info(offset: isTLS ? CURLINFO_APPCONNECT_TIME_T : CURLINFO_CONNECT_TIME_T) > 0
    }
}
