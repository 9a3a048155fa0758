import ArgumentParser

/// `itp-admin scale …`: worker instance counts from queue depth (DESIGN.md §7).
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Plan (and apply) the number of worker instances from queue depth and a drain-time target.",
        subcommands: [ScalePlanCommand.self])
}
