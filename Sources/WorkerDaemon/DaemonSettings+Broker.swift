public import AMQP
public import Settings

extension DaemonSettings {
    /// The broker client's configuration from `ITP_AMQP_URL` and the `ITP_AMQP_*_FILE`
    /// settings, with the certificate files loaded once as every connection will load them.
    /// - Throws: ``SettingsError`` naming the setting at fault (exit 78 through ``DaemonBoot``).
    public func brokerConfiguration(name: String) throws(SettingsError) -> AMQPConfiguration {
        var configuration: AMQPConfiguration
        do {
            configuration = try AMQPConfiguration(url: amqpURL)
        } catch {
            throw Setting.amqpURL.error(error.detail)
        }
        configuration.connectionName = name
        configuration.tls = AMQPTLSConfiguration(caFile: amqpTLS.caFile, certificateFile: amqpTLS.certFile, keyFile: amqpTLS.keyFile)
        guard configuration.endpoints.contains(where: \.usesTLS) || amqpTLS != BrokerTLSFiles() else { return configuration }
        do {
            try configuration.tls.check()
        } catch {
            switch error {
            case .caFile(let reason): throw Setting.amqpCAFile.error(reason)
            case .certificateOrKey(let reason): throw Setting.amqpCertFile.error("\(reason) (with ITP_AMQP_KEY_FILE)")
            }
        }
        return configuration
    }
}
