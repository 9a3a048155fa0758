import ArgumentParser
import DesignProviders
import DesignWorker
import JobRuntime
import ProductFlow
import Settings
import Storage
import WorkerDaemon

/// `itp-design-worker`: consumes `design.generate` (DESIGN.md §2).
@main
struct DesignWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-design-worker",
        abstract: "ITP design worker: consumes design.generate, generates design candidates through an image provider and stores original, DTF and background-removed variants as inactive design assets.",
        discussion: DaemonSettings.helpSection(Setting.designWorkerSettings))

    @OptionGroup var options: DaemonOptions
    @OptionGroup var design: DesignWorkerOptions

    func run() async throws {
        let name = "itp-design-worker"
        let (settings, resolved) = try DaemonBoot.settings(options, daemon: name, own: design.resolve)

        var daemonOptions = WorkerDaemon.Options(
            name: name, queue: ProductQueues.designGenerate, prefetch: resolved.prefetch,
            shutdownGrace: .seconds(resolved.shutdownGrace), declareTopology: design.declare)
        daemonOptions.defaultRetryPolicy = RetryPolicy(maxAttempts: resolved.maxAttempts)
        let storage = StorageFactory.make(settings.storage)
        if let directory = resolved.handler.spoolDirectory {
            // Images of jobs that died where the handler could not see it (poison, a crash).
            await ProviderSpool(directory: directory).sweep(olderThan: 7 * 24 * 3600)
        }
        try await WorkerDaemon(settings: settings, options: daemonOptions).run { database, _, logger in
            let measured = ProviderFactory.makeProvider(resolved.provider, logger: logger)
            // An account of an HTTP provider is shared by the whole fleet: so is its budget.
            let provider: any ImageProvider = resolved.provider.kind == .builtin ? measured : BudgetedProvider(
                measured,
                budget: ProviderBudget(
                    provider: measured.name, apiKey: resolved.provider.apiKey ?? "", callsPerMinute: resolved.callsPerMinute,
                    database: database),
                logger: logger)
            return DesignJobHandler(
                provider: provider, storage: storage, database: database, configuration: resolved.handler, logger: logger)
        }
    }
}
