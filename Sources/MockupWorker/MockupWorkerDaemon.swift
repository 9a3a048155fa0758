public import Mockups
public import Settings
import Storage
import WorkerDaemon

/// Boots `itp-flatlay-worker` or `itp-mr-imagine`: settings, template catalogue (loaded
/// and checked), asset storage, then a ``WorkerDaemon`` on the kind's queue. Anything
/// misconfigured stops it before it consumes a single job, with exit status 78.
public enum MockupWorkerDaemon {
    public static func run(kind: MockupKind, name: String, options: DaemonOptions, workerOptions: MockupWorkerOptions) async throws {
        let settings = try DaemonBoot.settings(options, daemon: name)
        let configuration = try DaemonBoot.check(name) { try workerOptions.resolve(source: settings.source) }
        let catalog = try DaemonBoot.check(name) {
            try TemplateCatalog.loadChecked(directory: configuration.templatesDirectory, for: kind)
        }
        let storage = StorageFactory.make(settings.storage)

        var daemonOptions = WorkerDaemon.Options(name: name, queue: kind.workQueue)
        daemonOptions.prefetch = configuration.prefetch
        daemonOptions.shutdownGrace = configuration.shutdownGrace
        try await DaemonBoot.check(name) {
            WorkerDaemon(settings: settings, options: daemonOptions)
        }.run { database, _, logger in
            MockupJobHandler(kind: kind, catalog: catalog, storage: storage, database: database, logger: logger)
        }
    }
}
