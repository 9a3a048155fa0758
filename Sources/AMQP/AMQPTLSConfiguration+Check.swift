internal import CRabbitMQ

extension AMQPTLSConfiguration {
    /// A file that OpenSSL could not use.
    public enum FileProblem: Error, Sendable, Equatable {
        /// The CA file is missing, unreadable or holds no PEM certificate.
        case caFile(String)
        /// The client certificate or its key is missing, unreadable, not PEM, encrypted, or
        /// the key does not belong to the certificate.
        case certificateOrKey(String)
    }

    /// Loads the files into a throwaway TLS context exactly as each connection will, so a
    /// wrong file stops a daemon at boot instead of failing every reconnect.
    public func check() throws(FileProblem) {
        guard let state = amqp_new_connection() else { return }
        defer { amqp_destroy_connection(state) }
        guard let socket = amqp_ssl_socket_new(state) else { return }
        if let caFile, amqp_ssl_socket_set_cacert(socket, caFile) != AMQP_STATUS_OK.rawValue {
            throw .caFile("could not load '\(caFile)' as PEM certificates")
        }
        switch (certificateFile, keyFile) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            if amqp_ssl_socket_set_key(socket, certificate, key) != AMQP_STATUS_OK.rawValue {
                throw .certificateOrKey(
                    "could not load the client certificate '\(certificate)' with the key '\(key)' (PEM, an unencrypted key that belongs to the certificate)")
            }
        default:
            throw .certificateOrKey("a client certificate needs both its certificate file and its key file")
        }
    }
}
