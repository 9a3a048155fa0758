import Testing
@testable import HTTPTransport

@Suite("S3 URLs and key encoding")
struct S3URLTests {
    private func urls(pathStyle: Bool, endpoint: String = "http://127.0.0.1:9000/") -> S3URL {
        S3URL(configuration: S3Configuration(
            endpoint: endpoint, region: "eu-central-1", bucket: "assets",
            accessKeyID: "id", secretAccessKey: "secret", pathStyle: pathStyle
        ))
    }

    @Test func keysAreEncodedPerSegmentWithSlashesKept() {
        #expect(S3URL.encodePath("a b/c+d%e.png") == "a%20b/c%2Bd%25e.png")
        #expect(S3URL.encodePath("ü/画") == "%C3%BC/%E7%94%BB")
        #expect(S3URL.encodePath("Az09-._~") == "Az09-._~")
        #expect(S3URL.encodePath("?#&=") == "%3F%23%26%3D")
    }

    @Test func pathStyleAndVirtualHostedURLs() {
        #expect(urls(pathStyle: true).object("x y.png") == "http://127.0.0.1:9000/assets/x%20y.png")
        #expect(urls(pathStyle: false, endpoint: "https://s3.eu-central-1.amazonaws.com").object("k")
            == "https://assets.s3.eu-central-1.amazonaws.com/k")
    }
}
