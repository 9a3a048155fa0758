import FleetTesting
import Testing
import HTTPTransport

/// Against a private moto server per test.
@Suite("S3Client against moto")
struct S3ClientTests {
    /// Unverified moto (see ``MotoServer`` on its path canonicalisation); the
    /// listing proves each key arrived as the intended UTF-8 string, neither
    /// double-encoded nor mangled.
    @Test func objectRoundTripWithBinaryDataAndAwkwardKeys() async throws {
        let moto = try await MotoServer.start(verifySignatures: false)
        defer { moto.stop() }
        let s3 = S3Client(configuration: moto.configuration(bucket: "itp-assets"))
        try await s3.createBucket()

        let binary: [UInt8] = Array(0...255) + [0, 0, 0xFF, 0x0D, 0x0A] + Array(repeating: 0x89, count: 70_000)
        let keys = ["products/p1/design original.png", "products/ü/ñandú – 画像 #1+%.png", "plain.png"]
        for key in keys {
            try await s3.put(key: key, bytes: binary, contentType: "image/png")
            #expect(try await listedKeys(moto, bucket: "itp-assets") == [key])

            let info = try #require(try await s3.head(key: key))
            #expect(info.size == binary.count)
            #expect(info.contentType == "image/png")
            #expect(info.etag?.isEmpty == false)

            #expect(try await s3.get(key: key) == binary)

            try await s3.delete(key: key)
            #expect(try await s3.head(key: key) == nil)
        }
    }

    @Test func signedRoundTripWithSpacesAndSlashesInTheKey() async throws {
        let moto = try await MotoServer.start(verifySignatures: true)
        defer { moto.stop() }
        let s3 = S3Client(configuration: moto.configuration(bucket: "itp-signed"))
        try await s3.createBucket()
        let bytes: [UInt8] = Array(0...255) + [UInt8](repeating: 0, count: 2 << 20)
        let key = "products/p 1/design final_v2.png"
        try await s3.put(key: key, bytes: bytes, contentType: "image/png")
        #expect(try await s3.head(key: key)?.size == bytes.count)
        #expect(try await s3.get(key: key) == bytes)
        try await s3.delete(key: key)
        #expect(try await s3.head(key: key) == nil)
    }

    @Test func blockingCallsAndNotFound() async throws {
        let moto = try await MotoServer.start(verifySignatures: true)
        defer { moto.stop() }
        let s3 = S3Client(configuration: moto.configuration(bucket: "itp-blocking"))
        // The blocking API belongs on a thread of its own, never the concurrency pool.
        let error = try await offPool { () throws -> HTTPError? in
            try s3.createBucket()
            try s3.put(key: "a/b/c.txt", bytes: Array("hello".utf8), contentType: "text/plain")
            #expect(try s3.get(key: "a/b/c.txt") == Array("hello".utf8))
            #expect(try s3.head(key: "missing.png") == nil)
            // Deleting a missing key succeeds, as in S3.
            try s3.delete(key: "missing.png")
            do throws(HTTPError) {
                _ = try s3.get(key: "missing.png")
                return nil
            } catch {
                return error
            }
        }
        #expect(error?.code == .notFound)
        #expect(error?.status == 404)
        #expect(error?.isRetriable == false)
    }

    @Test func wrongSecretIsAccessDenied() async throws {
        let moto = try await MotoServer.start(verifySignatures: true)
        defer { moto.stop() }
        let good = S3Client(configuration: moto.configuration(bucket: "itp-auth"))
        try await good.createBucket()
        try await good.put(key: "k", bytes: [1, 2, 3], contentType: "application/octet-stream")

        let bad = S3Client(configuration: moto.configuration(bucket: "itp-auth", secret: "not-the-secret"))
        let error = try await #require(throws: HTTPError.self) { try await bad.get(key: "k") }
        #expect(error.code == .accessDenied)
        #expect(error.status == 403)
        #expect(!error.isRetriable)
        #expect(String(reflecting: error).contains("SignatureDoesNotMatch"))
        #expect(!String(reflecting: error).contains("not-the-secret"))
        // The right secret still works, so the failure was the signature.
        #expect(try await good.get(key: "k") == [1, 2, 3])
    }

    /// ListObjectsV2 through the bare client; keys come back XML-decoded.
    private func listedKeys(_ moto: MotoServer, bucket: String) async throws -> [String] {
        let credentials = AWSSigV4Credentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey, region: MotoServer.region, service: "s3")
        let request = HTTPRequest(url: "\(moto.endpoint)/\(bucket)?list-type=2", awsSigV4: credentials)
        let response = try await HTTPClient().perform(request)
        #expect(response.status == 200)
        return response.bodyText.components(separatedBy: "<Key>").dropFirst().compactMap { $0.components(separatedBy: "</Key>").first }
    }
}
