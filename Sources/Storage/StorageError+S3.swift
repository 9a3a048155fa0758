import HTTPTransport

extension StorageError {
    /// Classifies an S3 failure for the job runtime: a missing object is `.notFound`;
    /// what `HTTPError` calls retriable (timeouts, resets, 429, 5xx) is `.unavailable`;
    /// everything else (access denied, a bad request, a response over the size limit) is
    /// `.rejected`, because retrying the same request cannot help. The message keeps the
    /// generic `description` only: libcurl's detail may name hosts and belongs in logs.
    init(s3 error: HTTPError, operation: String, key: StorageKey) {
        let code: Code
        if error.code == .notFound {
            code = .notFound
        } else if error.isRetriable || error.code == .cancelled {
            // A cancelled transfer (shutdown) says nothing about the object: try again later.
            code = .unavailable
        } else {
            code = .rejected
        }
        self.init(code, "s3 \(operation) \(key): \(error)")
    }
}
