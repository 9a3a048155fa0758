import Testing
@testable import HTTPTransport

@Suite("Retry-After parsing")
struct RetryAfterTests {
    /// 1994-11-06T08:49:37Z, the example date of RFC 9110.
    static let exampleDate: Int64 = 784_111_777

    private func response(retryAfter: String?) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let retryAfter { headers.add(name: "retry-after", value: retryAfter) }
        return HTTPResponse(status: 429, headers: headers)
    }

    @Test func delaySeconds() {
        #expect(response(retryAfter: "120").retryAfterSeconds() == 120)
        #expect(response(retryAfter: " 0 ").retryAfterSeconds() == 0)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ])
    func httpDateForms(value: String) {
        #expect(HTTPDate.unixTime(from: value) == Self.exampleDate)
        #expect(response(retryAfter: value).retryAfterSeconds(nowUnixTime: Self.exampleDate - 30) == 30)
    }

    @Test func pastDateMeansNoWait() {
        #expect(response(retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT").retryAfterSeconds(nowUnixTime: Self.exampleDate + 3600) == 0)
    }

    @Test(arguments: [nil, "", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT"])
    func absentOrMalformed(value: String?) {
        #expect(response(retryAfter: value).retryAfterSeconds(nowUnixTime: 0) == nil)
    }

    @Test func epochAndLeapDay() {
        #expect(HTTPDate.unixTime(from: "Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.unixTime(from: "Thu, 29 Feb 2024 12:00:00 GMT") == 1_709_208_000)
    }
}
