/// Where and as whom an ``S3Client`` talks to S3-compatible object storage.
public struct S3Configuration: Sendable, Equatable {
    /// Scheme, host and optional port, e.g. `https://s3.eu-central-1.amazonaws.com`
    /// or `http://127.0.0.1:9000`. A trailing slash is ignored.
    public var endpoint: String
    public var region: String
    public var bucket: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// `true` (default): `endpoint/bucket/key`, which every S3-compatible server
    /// understands. `false`: virtual-hosted `bucket.endpoint-host/key`.
    public var pathStyle: Bool

    public init(
        endpoint: String,
        region: String,
        bucket: String,
        accessKeyID: String,
        secretAccessKey: String,
        pathStyle: Bool = true
    ) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.pathStyle = pathStyle
    }

    var credentials: AWSSigV4Credentials {
        AWSSigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, region: region, service: "s3")
    }
}

extension S3Configuration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never includes the secret.
    public var description: String {
        "S3Configuration(endpoint: \(endpoint), region: \(region), bucket: \(bucket), accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, pathStyle: \(pathStyle))"
    }

    public var debugDescription: String { description }
}
