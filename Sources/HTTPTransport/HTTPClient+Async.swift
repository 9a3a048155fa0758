import Dispatch

extension HTTPClient {
    /// Sends `request` without blocking the Swift concurrency pool: the
    /// blocking libcurl call runs on a private serial dispatch queue, which
    /// libdispatch backs with its own (overcommit) thread.
    ///
    /// Cancelling the calling task aborts the transfer within about a second
    /// with ``HTTPError/Code/cancelled``.
    public func perform(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let cancellation = CancellationFlag()
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue(label: "itp.http.transfer").async {
                    continuation.resume(returning: Result { () throws(HTTPError) -> HTTPResponse in
                        try self.perform(request, cancellation: cancellation)
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }
}
