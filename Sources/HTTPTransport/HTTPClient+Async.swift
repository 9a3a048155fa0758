import Foundation

extension HTTPClient {
    /// Sends `request` without blocking the Swift concurrency pool: the
    /// blocking libcurl call (up to the total timeout) runs on a thread of its own, not
    /// on a dispatch queue: libdispatch's worker threads are capped on Linux, and where
    /// many queues block on other I/O (every libpq connection is a serial queue) a
    /// transfer could wait for a thread before it even connected. Suspected cause of
    /// `cancellingMidTransferAbortsIt` failing under stress, where the transfer returned
    /// only ~38 s after its cancellation.
    ///
    /// Cancelling the calling task aborts the transfer within about a second
    /// with ``HTTPError/Code/cancelled``.
    public func perform(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let cancellation = CancellationFlag()
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: Result { () throws(HTTPError) -> HTTPResponse in
                        try self.perform(request, cancellation: cancellation)
                    })
                }
                thread.name = "itp.http.transfer"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }
}
