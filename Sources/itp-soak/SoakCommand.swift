import ArgumentParser

@main
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-soak",
        abstract: "Proof under fire: the fault-injection soak and the fleet benchmark (loopback only, private servers).",
        discussion: """
            Both run the whole fleet from the built binaries against the private Postgres and RabbitMQ of \
            scripts/servers, in a fresh schema. They read ITP_DATABASE_URL, ITP_AMQP_URL and \
            ITP_TEST_SERVERS_SCRIPT (as `scripts/servers env` prints them); scripts/soak and \
            benchmarks/fleet/run set everything up.
            """,
        subcommands: [SoakRunCommand.self, BenchCommand.self],
        defaultSubcommand: SoakRunCommand.self)
}
