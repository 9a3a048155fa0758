import Settings

/// Reports whether the broker answers. Filled in with the AMQP client.
enum BrokerProbe {
    static func printStatus(_ settings: DaemonSettings) {
        print("broker: \(DaemonBoot.redacted(settings.amqpURL)) (probe pending)")
    }
}
