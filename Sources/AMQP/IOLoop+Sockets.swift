internal import CRabbitMQ

extension IOLoop {
    /// A plain TCP socket, or for `amqps://` an OpenSSL socket with the configured CA,
    /// client certificate and verification (peer and host name on by default).
    func makeSocket(_ state: amqp_connection_state_t, _ endpoint: AMQPEndpoint) -> Result<OpaquePointer, AMQPError> {
        guard endpoint.usesTLS else {
            guard let socket = amqp_tcp_socket_new(state) else {
                return .failure(AMQPError(.connectionLost, detail: "amqp_tcp_socket_new failed"))
            }
            return .success(socket)
        }
        let tls = configuration.tls
        guard let socket = amqp_ssl_socket_new(state) else {
            return .failure(AMQPError(.tlsFailed, detail: "amqp_ssl_socket_new failed (OpenSSL could not be initialised)"))
        }
        amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, tls.verifyHostname ? 1 : 0)
        if let caFile = tls.caFile, amqp_ssl_socket_set_cacert(socket, caFile) != AMQP_STATUS_OK.rawValue {
            return .failure(AMQPError(.tlsFailed, detail: "could not load the CA file '\(caFile)'"))
        }
        if let certificate = tls.certificateFile, let key = tls.keyFile,
            amqp_ssl_socket_set_key(socket, certificate, key) != AMQP_STATUS_OK.rawValue
        {
            return .failure(AMQPError(.tlsFailed, detail: "could not load the client certificate '\(certificate)' and key '\(key)'"))
        }
        return .success(socket)
    }

    /// Why opening the socket failed. A certificate that does not verify is `.tlsFailed`
    /// (a setting to fix, not an outage); everything else is `.connectionLost`.
    static func openError(_ status: Int32, _ endpoint: AMQPEndpoint, tls: AMQPTLSConfiguration) -> AMQPError {
        let what = "connecting to \(endpoint)"
        switch status {
        case AMQP_STATUS_SSL_PEER_VERIFY_FAILED.rawValue:
            return AMQPError(
                .tlsFailed,
                detail: "\(what): the broker's certificate does not verify against the CA file '\(tls.caFile ?? "")'")
        case AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED.rawValue:
            return AMQPError(
                .tlsFailed,
                detail: "\(what): the broker's certificate does not name '\(endpoint.host)' (rabbitmq-c checks DNS names only: connect by a name the certificate carries, not an IP address)")
        default:
            return statusError(status, what)
        }
    }
}
