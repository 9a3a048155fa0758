/// Certificates for `amqps://` endpoints (rabbitmq-c's OpenSSL socket).
///
/// Peer and host-name verification are on unless switched off here. rabbitmq-c 0.11's
/// host-name check reads DNS names only (it ignores IP subject alternative names), so
/// connect by a name the broker's certificate carries (`localhost`, `rabbit1.internal`),
/// not by an IP address.
public struct AMQPTLSConfiguration: Sendable, Equatable {
    /// PEM file of the certificate authorities that may sign the broker's certificate
    /// (a system bundle such as `/etc/ssl/certs/ca-certificates.crt` works too). Required
    /// for `amqps://` while ``verifyPeer`` is on.
    public var caFile: String?
    /// PEM client certificate (chain) for brokers that ask for one; with ``keyFile``.
    public var certificateFile: String?
    /// PEM private key of ``certificateFile``, unencrypted.
    public var keyFile: String?
    /// Reject a broker whose certificate does not chain to ``caFile``. Default on.
    public var verifyPeer = true
    /// Reject a broker whose certificate does not name the host connected to. Default on.
    public var verifyHostname = true

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
