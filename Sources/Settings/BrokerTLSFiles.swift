import Foundation

/// The certificate files of `ITP_AMQP_CA_FILE`, `ITP_AMQP_CERT_FILE` and
/// `ITP_AMQP_KEY_FILE`, checked at boot: present when needed, readable, a key not
/// encrypted. Whether OpenSSL accepts their contents is checked where the AMQP client is
/// made (`DaemonSettings.brokerConfiguration`).
public struct BrokerTLSFiles: Sendable, Equatable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    static func resolve(usesTLS: Bool, caFile: String?, certFile: String?, keyFile: String?) throws -> BrokerTLSFiles {
        let files = BrokerTLSFiles(caFile: caFile.nonEmpty, certFile: certFile.nonEmpty, keyFile: keyFile.nonEmpty)
        if usesTLS, files.caFile == nil {
            throw Setting.amqpCAFile.error(
                "required with amqps:// URLs: the PEM file of the CA that signs the brokers' certificates (the system bundle is /etc/ssl/certs/ca-certificates.crt)")
        }
        switch (files.certFile, files.keyFile) {
        case (nil, nil), (.some, .some): break
        case (nil, .some): throw Setting.amqpCertFile.error("required when ITP_AMQP_KEY_FILE is set")
        case (.some, nil): throw Setting.amqpKeyFile.error("required when ITP_AMQP_CERT_FILE is set")
        }
        try readable(files.caFile, .amqpCAFile)
        try readable(files.certFile, .amqpCertFile)
        try readable(files.keyFile, .amqpKeyFile)
        if let key = files.keyFile, let text = try? String(contentsOfFile: key, encoding: .utf8), text.contains("ENCRYPTED") {
            throw Setting.amqpKeyFile.error("'\(key)' is an encrypted key; the AMQP client needs it unencrypted (protect it by file permissions)")
        }
        return files
    }

    private static func readable(_ path: String?, _ setting: Setting) throws {
        guard let path else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw setting.error("no file at '\(path)'")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw setting.error("'\(path)' is not a readable file")
        }
    }
}

extension Optional where Wrapped == String {
    fileprivate var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
