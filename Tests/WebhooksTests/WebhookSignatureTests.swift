import Foundation
import Testing
import Webhooks

@Suite("WebhookSignature: t=…,v1=HMAC-SHA256(secret, t.body)")
struct WebhookSignatureTests {
    @Test("a known vector, and verification as a receiver does it")
    func vector() {
        let body = Array(#"{"id":"e1"}"#.utf8)
        let header = WebhookSignature.header(body: body, secret: "whsec_test", timestamp: 1_700_000_000)
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test",b"1700000000.{\"id\":\"e1\"}",hashlib.sha256).hexdigest())'
        #expect(header == "t=1700000000,v1=\(Self.expected)")
        let now = Date(timeIntervalSince1970: 1_700_000_100)
        #expect(WebhookSignature.verify(header: header, body: body, secret: "whsec_test", now: now))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "whsec_test", now: now.addingTimeInterval(600)))
        #expect(!WebhookSignature.verify(header: header.replacingOccurrences(of: "t=1700000000", with: "t=1700000001"), body: body,
                                         secret: "whsec_test", now: now))
    }

    static let expected = "6a85cb117c993612a34c72b4cfb5a16baed25a80d26e298ce0e6671320fd07c8"

    @Test("secrets are new each time and long enough")
    func secrets() {
        let (a, b) = (WebhookSignature.newSecret(), WebhookSignature.newSecret())
        #expect(a != b && a.hasPrefix("whsec_") && a.count == 70)
    }
}
