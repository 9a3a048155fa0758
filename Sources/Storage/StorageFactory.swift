public import HTTPTransport
public import Settings

/// Makes the configured ``AssetStorage`` from `ITP_STORAGE_URL` (DESIGN.md §6): one
/// interface, two backends.
public enum StorageFactory {
    /// The HTTP limits for object storage: designs and DTF files are tens of megabytes,
    /// so the response limit is well above the largest blob we write (a 3600×4800 RGBA
    /// print file is at most ~70 MB even stored uncompressed), and the total timeout
    /// leaves room for that at modest bandwidth.
    public static let s3HTTPConfiguration = HTTPClientConfiguration(
        connectTimeout: .seconds(10), totalTimeout: .seconds(300), maxResponseBytes: 256 << 20,
        lowSpeedLimit: .init(bytesPerSecond: 16 << 10, duration: .seconds(30)))

    public static func make(_ location: StorageLocation) -> any AssetStorage {
        switch location {
        case .directory(let path):
            return LocalDirectoryStorage(root: path)
        case .s3(let bucket, let prefix, let credentials):
            let configuration = S3Configuration(
                endpoint: credentials.endpoint, region: credentials.region, bucket: bucket,
                accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey)
            let client = S3Client(configuration: configuration, http: HTTPClient(configuration: s3HTTPConfiguration))
            return S3Storage(client: client, prefix: prefix)
        }
    }
}
