import CCurl

extension HTTPError.Code {
    /// Classifies a failed `curl_easy_perform`.
    /// - Parameters:
    ///   - connected: the connection (and TLS, for https) was established, which
    ///     splits `CURLE_OPERATION_TIMEDOUT` into connect vs. total timeout.
    ///   - bodyLimitExceeded: our write callback refused data, which is what a
    ///     `CURLE_WRITE_ERROR` means here.
    /// - Parameter curlCode: a `CURLcode` value; these numbers are libcurl's stable ABI.
    init(curlCode: Int, connected: Bool, bodyLimitExceeded: Bool) {
        switch CURLcode(rawValue: numericCast(curlCode)) {
        case CURLE_OPERATION_TIMEDOUT:
            self = connected ? .timeout : .connectTimeout
        case CURLE_FILESIZE_EXCEEDED:
            self = .responseTooLarge
        case CURLE_WRITE_ERROR:
            self = bodyLimitExceeded ? .responseTooLarge : .other
        case CURLE_COULDNT_CONNECT:
            self = .connectionFailed
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .resolve
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            self = .connectionReset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED:
            self = .tls
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            self = .invalidRequest
        case CURLE_ABORTED_BY_CALLBACK:
            self = .cancelled
        default:
            self = .other
        }
    }
}
