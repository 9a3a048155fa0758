import ArgumentParser

@main
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-admin",
        abstract: "Operate the ITP fleet: migrations, broker topology, queues, scaling, dead letters, jobs, products, assets, templates, keys, builder users, credits; console operators, the operator audit and the console.",
        discussion: """
            Exit codes: 0 success; 1 the operation failed (or was refused, or not confirmed); 64 bad usage;
            69 a server is unreachable; 78 a bad setting (the message names it).
            Read commands take --json for scripts.
            """,
        subcommands: [
            MigrateCommand.self, StatusCommand.self, BrokerCommand.self, QueuesCommand.self, ScaleCommand.self, DLQCommand.self,
            JobsCommand.self, ProductsCommand.self, AssetsCommand.self, TemplatesCommand.self, KeysCommand.self, UsersCommand.self, CreditsCommand.self,
            OperatorsCommand.self, AuditCommand.self, ConsoleCommand.self, LibraryCommand.self,
        ])
}
