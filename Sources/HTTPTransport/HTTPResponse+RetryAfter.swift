#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPResponse {
    /// The delay the server asked for in `Retry-After`, in whole seconds.
    ///
    /// Accepts delay-seconds and the three HTTP-date forms of RFC 9110 §5.6.7.
    /// A date in the past gives 0. `nil` when the header is absent or malformed.
    /// - Parameter nowUnixTime: the current time in seconds since 1970, for tests;
    ///   the system clock when `nil`.
    public func retryAfterSeconds(nowUnixTime: Int64? = nil) -> Int64? {
        guard let raw = headers["Retry-After"] else { return nil }
        let value = raw.trimmingASCIISpaces()
        if !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Absurd values saturate instead of trapping.
            return Int64(value) ?? Int64.max
        }
        guard let date = HTTPDate.unixTime(from: value) else { return nil }
        let now = nowUnixTime ?? Int64(time(nil))
        return max(0, date - now)
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }),
              let end = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
