import CCurl

/// `curl_global_init` is not thread-safe and must run once before any easy
/// handle exists; a global `let` is initialised exactly once, atomically.
private let curlGlobalInitResult: Int = Int(itp_curl_global_init_default().rawValue)

enum CurlGlobal {
    /// Runs `curl_global_init` on first use; `false` if libcurl could not initialise.
    static func ensureInitialized() -> Bool {
        curlGlobalInitResult == Int(CURLE_OK.rawValue)
    }
}
