/// One S3 call: the signed request, and how its response is judged.
/// Shared by the blocking and async methods of ``S3Client``.
struct S3Operation {
    let request: HTTPRequest

    private init(method: HTTPMethod, url: String, headers: HTTPHeaders = [:], body: [UInt8]?, _ client: S3Client) {
        var headers = headers
        // S3 requires the payload hash header; libcurl 7.88 signs the same hash
        // (of the post fields) but does not send it, so both must agree.
        headers.replaceOrAdd(name: "x-amz-content-sha256", value: SHA256.hexDigest(body ?? []))
        request = HTTPRequest(method: method, url: url, headers: headers, body: body, awsSigV4: client.configuration.credentials)
    }

    static func put(key: String, bytes: [UInt8], contentType: String, _ client: S3Client) -> S3Operation {
        S3Operation(method: .put, url: client.urls.object(key), headers: ["Content-Type": contentType], body: bytes, client)
    }

    static func get(key: String, _ client: S3Client) -> S3Operation {
        S3Operation(method: .get, url: client.urls.object(key), body: nil, client)
    }

    static func head(key: String, _ client: S3Client) -> S3Operation {
        S3Operation(method: .head, url: client.urls.object(key), body: nil, client)
    }

    static func delete(key: String, _ client: S3Client) -> S3Operation {
        S3Operation(method: .delete, url: client.urls.object(key), body: nil, client)
    }

    static func createBucket(_ client: S3Client) -> S3Operation {
        let region = client.configuration.region
        // us-east-1 is the one region that rejects an explicit location constraint.
        let body = region == "us-east-1" ? [] : Array("""
            <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>
            """.utf8)
        let headers: HTTPHeaders = body.isEmpty ? [:] : ["Content-Type": "application/xml"]
        return S3Operation(method: .put, url: client.urls.bucket, headers: headers, body: body, client)
    }

    @discardableResult
    func run(_ http: HTTPClient) throws(HTTPError) -> HTTPResponse {
        try Self.check(http.perform(request))
    }

    @discardableResult
    func run(_ http: HTTPClient) async throws(HTTPError) -> HTTPResponse {
        try await Self.check(http.perform(request))
    }

    func runHead(_ http: HTTPClient) throws(HTTPError) -> S3ObjectInfo? {
        try Self.objectInfo(http.perform(request))
    }

    func runHead(_ http: HTTPClient) async throws(HTTPError) -> S3ObjectInfo? {
        try await Self.objectInfo(http.perform(request))
    }

    /// Success passes through; 404, 401/403 and anything else non-2xx become
    /// distinct codes, with S3's `<Code>` kept for `debugDescription`.
    static func check(_ response: HTTPResponse) throws(HTTPError) -> HTTPResponse {
        guard !response.isSuccess else { return response }
        let serviceCode = errorCode(in: response.body) ?? "status \(response.status)"
        let code: HTTPError.Code = switch response.status {
        case 404: .notFound
        case 401, 403: .accessDenied
        default: .unexpectedStatus
        }
        throw HTTPError(code: code, status: response.status, retryAfterSeconds: response.retryAfterSeconds(), detail: "S3 \(serviceCode)")
    }

    static func objectInfo(_ response: HTTPResponse) throws(HTTPError) -> S3ObjectInfo? {
        if response.status == 404 { return nil }
        let checked = try check(response)
        var etag = checked.headers["ETag"]
        if let quoted = etag, quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") {
            etag = String(quoted.dropFirst().dropLast())
        }
        return S3ObjectInfo(
            size: checked.headers["Content-Length"].flatMap { Int($0) } ?? 0,
            contentType: checked.headers["Content-Type"],
            etag: etag
        )
    }

    /// The `<Code>` of an S3 XML error document, e.g. `SignatureDoesNotMatch`.
    static func errorCode(in body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        guard let open = text.firstRange(of: "<Code>"),
              let close = text[open.upperBound...].firstRange(of: "</Code>")
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
