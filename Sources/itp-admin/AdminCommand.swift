import ArgumentParser

@main
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-admin",
        abstract: "Operate the ITP fleet: schema migrations, broker topology, templates, API keys, credits, fleet status.",
        discussion: """
            Exit codes: 0 success; 1 the operation failed; 64 bad usage; 69 a server is unreachable;
            78 a bad setting (the message names it).
            """,
        subcommands: [
            MigrateCommand.self, StatusCommand.self, BrokerCommand.self, TemplatesCommand.self, KeysCommand.self, CreditsCommand.self,
        ])
}
