import ArgumentParser

/// `itp-admin dlq …`: dead letters are data (DESIGN.md §3). The finalizer records every
/// message that reaches a `<queue>.dead` queue in `dead_letters`; these commands read,
/// replay and purge those records.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, show, replay and purge dead letters (recorded by the finalizer in Postgres).",
        subcommands: [DLQListCommand.self, DLQShowCommand.self, DLQReplayCommand.self, DLQPurgeCommand.self])
}
