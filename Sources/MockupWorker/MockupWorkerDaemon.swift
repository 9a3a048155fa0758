public import Mockups
public import Settings
import Storage
import WorkerDaemon

/// Boots `itp-flatlay-worker` or `itp-mr-imagine`: settings, template catalogue (loaded
/// and checked), asset storage, then a ``WorkerDaemon`` on the kind's queue. Anything
/// misconfigured stops it before it consumes a single job, with exit status 78.
public enum MockupWorkerDaemon {
    public static func run(kind: MockupKind, name: String, options: DaemonOptions, workerOptions: MockupWorkerOptions) async throws {
        let (settings, configuration) = try DaemonBoot.settings(options, daemon: name) { try workerOptions.resolve(source: $0) }
        let catalog = try DaemonBoot.check(name) {
            try TemplateCatalog.loadChecked(directory: configuration.templatesDirectory, for: kind)
        }
        let storage = StorageFactory.make(settings.storage)

        let daemonOptions = WorkerDaemon.Options(
            name: name, queue: kind.workQueue, prefetch: configuration.prefetch, shutdownGrace: configuration.shutdownGrace)
        try await DaemonBoot.check(name) {
            WorkerDaemon(settings: settings, options: daemonOptions)
        }.run { database, _, logger in
            MockupJobHandler(kind: kind, catalog: catalog, storage: storage, database: database, logger: logger)
        }
    }
}
