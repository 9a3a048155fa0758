/// What libcurl needs to sign a request with AWS Signature Version 4
/// (`CURLOPT_AWS_SIGV4`, `CURLOPT_USERNAME`, `CURLOPT_PASSWORD`).
public struct AWSSigV4Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String
    /// The signing service name, e.g. `s3`, `iam`.
    public var service: String

    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    /// The `CURLOPT_AWS_SIGV4` parameter: `aws:amz:<region>:<service>`.
    var curlProvider: String { "aws:amz:\(region):\(service)" }
}

extension AWSSigV4Credentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never includes the secret.
    public var description: String {
        "AWSSigV4Credentials(accessKeyID: \(accessKeyID), region: \(region), service: \(service), secretAccessKey: <redacted>)"
    }

    public var debugDescription: String { description }
}
