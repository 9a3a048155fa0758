/// Where asset blobs live (`ITP_STORAGE_URL`).
public enum StorageLocation: Sendable, Equatable {
    /// A local directory (the embedded default).
    case directory(path: String)
    /// An S3-compatible bucket, with keys under `prefix`.
    case s3(bucket: String, prefix: String, S3Credentials)

    public struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
        public var endpoint: String
        public var region: String
        public var accessKeyID: String
        public var secretAccessKey: String

        /// Never prints the secret.
        public var description: String { "endpoint \(endpoint), region \(region), key id \(accessKeyID)" }
    }

    /// Parses `file:///dir` or `s3://bucket/prefix`; S3 credentials come from their own settings.
    public static func parse(_ text: String, s3: () throws -> S3Credentials) throws -> StorageLocation {
        let setting = Setting.storageURL
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw setting.error("a file:// URL needs an absolute path (file:///var/lib/itp/assets), got '\(text)'")
            }
            guard !path.split(separator: "/").contains("..") else {
                throw setting.error("the path must not contain '..', got '\(text)'")
            }
            return .directory(path: path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path)
        }
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = rest.prefix { $0 != "/" }
            let prefix = rest.dropFirst(bucket.count).drop { $0 == "/" }
            let valid = bucket.count >= 3 && bucket.count <= 63
                && bucket.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
            guard valid else {
                throw setting.error("'\(bucket)' is not a valid bucket name (3–63 lowercase letters, digits, '-' or '.')")
            }
            return .s3(bucket: String(bucket), prefix: String(prefix), try s3())
        }
        throw setting.error("expected file:///path or s3://bucket/prefix, got '\(text)'")
    }
}
