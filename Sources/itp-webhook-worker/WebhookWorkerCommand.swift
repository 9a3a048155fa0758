import ArgumentParser
import AssetImages
import HTTPTransport
import JobRuntime
import Logging
import ProductFlow
import Settings
import Vocabulary
import Webhooks
import WorkerDaemon

/// `itp-webhook-worker`: consumes `webhook.deliver` and POSTs each storefront webhook
/// delivery, signed, to its endpoint (DESIGN.md §10), through the same job runtime as every
/// worker: retries with backoff over hours, `Retry-After`, dead letters and replay.
@main
struct WebhookWorkerCommand: AsyncParsableCommand {
    static let settings: [Setting] = [
        .webhookPrefetch, .webhookTimeout, .webhookAllowedAddresses, .webhookShutdownGrace,
        .imageURLSecret, .imageURLPreviousSecret, .imageURLTTL, .publicBaseURL,
    ]

    static let configuration = CommandConfiguration(
        commandName: "itp-webhook-worker",
        abstract: "ITP webhook worker: consumes webhook.deliver and sends each signed storefront webhook delivery to its endpoint.",
        discussion: DaemonSettings.helpSection(settings))

    @OptionGroup var options: DaemonOptions

    @Option(setting: .webhookPrefetch) var prefetch: String?
    @Option(setting: .webhookTimeout) var timeout: String?
    @Option(setting: .webhookAllowedAddresses) var allowedAddresses: String?
    @Option(setting: .webhookShutdownGrace) var shutdownGrace: String?
    @Option(setting: .imageURLSecret) var imageURLSecret: String?
    @Option(setting: .imageURLPreviousSecret) var imageURLSecretPrevious: String?
    @Option(setting: .imageURLTTL) var imageURLTTL: String?
    @Option(setting: .publicBaseURL) var publicBaseURL: String?
    @Flag(help: "Declare the queue's topology (queue, delay queues, dead-letter queue) before consuming (tests, single-node set-ups).")
    var declare = false

    struct Resolved {
        var prefetch: Int
        var timeout: Int
        var policy: DestinationPolicy
        var grace: Int
        var signer: (signer: ImageURLSigner, ephemeral: Bool)
    }

    func resolve(_ source: SettingsSource) throws -> Resolved {
        guard let policy = DestinationPolicy(setting: Setting.webhookAllowedAddresses.raw(flag: allowedAddresses, in: source) ?? "") else {
            throw Setting.webhookAllowedAddresses.error("must be a comma-separated list of loopback, private, link-local (or empty)")
        }
        return Resolved(
            prefetch: try Setting.webhookPrefetch.number(flag: prefetch, in: source, range: 1...256),
            timeout: try Setting.webhookTimeout.number(flag: timeout, in: source, range: 1...60),
            policy: policy,
            grace: try Setting.webhookShutdownGrace.number(flag: shutdownGrace, in: source, range: 1...600),
            signer: try ImageURLSigner.resolve(
                secret: imageURLSecret, previousSecret: imageURLSecretPrevious, ttl: imageURLTTL, baseURL: publicBaseURL, in: source))
    }

    func run() async throws {
        let name = "itp-webhook-worker"
        let (settings, resolved) = try DaemonBoot.settings(options, daemon: name, own: resolve)
        var daemonOptions = WorkerDaemon.Options(
            name: name, queue: ProductQueues.webhookDeliver, prefetch: resolved.prefetch, shutdownGrace: .seconds(resolved.grace),
            declareTopology: declare)
        // Over hours, not minutes: 30 s doubling to an hour, 12 attempts (about 7 hours).
        daemonOptions.defaultRetryPolicy = RetryPolicy(
            maxAttempts: WebhookOutbox.maxAttempts, initialDelay: .seconds(30), maxDelay: .seconds(3600), maxRateLimitedWaits: 20)
        // Each delivery is one HTTP request: never batched into a shared transaction.
        daemonOptions.inlineBatchLimit = 1
        let client = HTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(min(resolved.timeout, 10)), totalTimeout: .seconds(resolved.timeout),
            maxResponseBytes: WebhookDeliveryHandler.maxResponseBytes, userAgent: "itp-webhooks/1"))
        try await DaemonBoot.check(name) {
            WorkerDaemon(settings: settings, options: daemonOptions)
        }.run { database, _, logger in
            if resolved.signer.ephemeral {
                logger.warning("no image URL secret is set: image URLs in webhook payloads will not verify on the intake", metadata: [
                    LogKey.setting: "\(Setting.imageURLSecret.environment)",
                ])
            }
            return WebhookDeliveryHandler(
                database: database, client: client, policy: resolved.policy, signer: resolved.signer.signer, logger: logger)
        }
    }
}
