import CCurl

/// Owns one libcurl easy handle and everything libcurl keeps pointers to
/// while it runs (header list, error buffer). Used by one thread at a time,
/// for one transfer; freed in `deinit`.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its error message here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard CurlGlobal.ensureInitialized(), let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        _ = itp_curl_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(itp_curl_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(HTTPError) {
        try check(itp_curl_setopt_off(raw, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        // libcurl copies string options (except POSTFIELDS, which we never pass here).
        let code = value.withCString { itp_curl_setopt_string(raw, option, $0) }
        try check(code, option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(HTTPError) {
        try check(itp_curl_setopt_pointer(raw, option, pointer), option)
    }

    func set(_ option: CURLoption, callback: curl_write_callback) throws(HTTPError) {
        try check(itp_curl_setopt_writefunction(raw, option, callback), option)
    }

    func set(progress callback: curl_xferinfo_callback) throws(HTTPError) {
        try check(itp_curl_setopt_xferinfofunction(raw, callback), CURLOPT_XFERINFOFUNCTION)
    }

    /// Installs the request header lines; the list lives as long as the handle.
    func setHeaders(_ lines: [String]) throws(HTTPError) {
        let list = try Self.slist(lines)
        curl_slist_free_all(headerList)
        headerList = list
        try check(itp_curl_setopt_slist(raw, CURLOPT_HTTPHEADER, list), CURLOPT_HTTPHEADER)
    }

    /// Installs `CURLOPT_RESOLVE` entries (`host:port:address`); the list lives as long as the handle.
    func setResolve(_ entries: [String]) throws(HTTPError) {
        let list = try Self.slist(entries)
        curl_slist_free_all(resolveList)
        resolveList = list
        try check(itp_curl_setopt_slist(raw, CURLOPT_RESOLVE, list), CURLOPT_RESOLVE)
    }

    private static func slist(_ lines: [String]) throws(HTTPError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw HTTPError(code: .other, detail: "curl_slist_append failed")
            }
            list = appended
        }
        return list
    }

    /// Copies `bytes` into libcurl as the request body (`CURLOPT_COPYPOSTFIELDS`).
    func setBody(_ bytes: [UInt8]) throws(HTTPError) {
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(bytes.count))
        let code = bytes.withUnsafeBytes { buffer in
            // A non-NULL pointer is required even for an empty body.
            itp_curl_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafeRawPointer(errorBuffer)))
        }
        try check(code, CURLOPT_COPYPOSTFIELDS)
    }

    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(raw)
    }

    func info(_ info: CURLINFO) -> Int {
        var value = 0
        return itp_curl_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    func info(offset info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return itp_curl_getinfo_off(raw, info, &value) == CURLE_OK ? Int64(value) : 0
    }

    /// libcurl's message for the last failure, or its generic text for `code`.
    func errorMessage(for code: CURLcode) -> String {
        if errorBuffer[0] != 0 {
            return String(cString: errorBuffer)
        }
        return String(cString: curl_easy_strerror(code))
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
        guard code == CURLE_OK else {
            throw HTTPError(
                code: .other,
                curlCode: Int(code.rawValue),
                detail: "setting option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))"
            )
        }
    }
}
