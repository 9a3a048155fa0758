import Testing
import Webhooks

@Suite("DestinationPolicy: outbound safety by resolved address")
struct DestinationPolicyTests {
    @Test("addresses are classified, IPv4-mapped IPv6 as its IPv4 address")
    func categories() {
        let cases: [(String, AddressCategory)] = [
            ("127.0.0.1", .loopback), ("127.9.9.9", .loopback), ("::1", .loopback),
            ("10.0.0.1", .privateNetwork), ("172.16.5.4", .privateNetwork), ("172.31.255.255", .privateNetwork),
            ("192.168.1.1", .privateNetwork), ("100.64.0.1", .privateNetwork), ("fd00:ec2::254", .privateNetwork),
            ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("::ffff:10.0.0.1", .privateNetwork),
            ("::ffff:169.254.169.254", .linkLocal), ("0.0.0.0", .unroutable), ("::", .unroutable), ("224.0.0.1", .unroutable),
            ("255.255.255.255", .unroutable), ("ff02::1", .unroutable),
            ("93.184.216.34", .public), ("172.32.0.1", .public), ("2606:4700::1111", .public),
        ]
        for (address, category) in cases {
            #expect(AddressCategory(address: address) == category, "\(address)")
        }
        #expect(AddressCategory(address: "example.com") == nil)
    }

    @Test("metadata, private, link-local and loopback destinations are refused by default (nothing is sent)")
    func refusedByDefault() {
        let policy = DestinationPolicy()
        for url in ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook", "https://192.168.0.10/", "http://127.0.0.1:8080/",
                    "http://[::1]:8080/", "http://[::ffff:10.0.0.1]/", "http://localhost:9/", "http://0.0.0.0/"] {
            #expect(throws: DestinationPolicy.Refusal.self, "\(url)") { _ = try policy.check(url) }
        }
        for url in ["ftp://example.com/", "not a url", "http:///nohost", "http://user:pass@93.184.216.34/"] {
            #expect(throws: DestinationPolicy.Refusal.self, "\(url)") { _ = try policy.check(url) }
        }
    }

    @Test("a setting allows loopback explicitly; the checked address is pinned for libcurl")
    func loopbackAllowed() throws {
        let policy = try #require(DestinationPolicy(setting: "loopback"))
        let destination = try policy.check("http://localhost:8080/hook")
        #expect(destination.port == 8080 && AddressCategory(address: destination.address) == .loopback)
        #expect(destination.curlResolve.hasPrefix("localhost:8080:"))
        #expect(throws: DestinationPolicy.Refusal.self) { _ = try policy.check("http://169.254.169.254/") }
        #expect(DestinationPolicy(setting: "loopback, private,link-local")?.allowed.count == 3)
        #expect(DestinationPolicy(setting: "everything") == nil)
        #expect(DestinationPolicy(setting: "")?.allowed.isEmpty == true)
    }
}
