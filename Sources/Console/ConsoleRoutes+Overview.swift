import Foundation
import Hummingbird
import Operations
import Postgres
import WebPages

/// `/`: the fleet at a glance.
extension ConsoleRoutes {
    func overview(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        let overview = try await database.withConnection { try FleetOverview.load(on: $0) }
        struct Count { var name: String; var count: Int; var link: String? }
        struct Queue { var queue: String; var queued: Int; var running: Int; var retrying: Int; var oldest: String }
        struct Dead { var queue: String; var errorClass: String; var stage: String; var count: Int; var link: String }
        struct Model {
            var bar: OperatorBar
            var products: [Count]
            var jobs: [Count]
            var queues: [Queue]
            var hasQueues: Bool
            var outboxBacklog: Int
            var dead: [Dead]
            var hasDead: Bool
            var chart: String
            var deadTotal: Int
            var finishedTotal: Int
        }
        func link(_ group: FleetOverview.DeadGroup) -> String {
            let selection = DeadLetterSelection(queue: group.queue, errorClass: group.errorClass.isEmpty ? nil : group.errorClass,
                                                stage: group.stage.isEmpty ? nil : group.stage)
            return "/dead-letters?" + selection.queryString
        }
        let model = Model(
            bar: OperatorBar(signedIn), products: overview.products.map { Count(name: $0.name, count: $0.count, link: nil) },
            jobs: overview.jobs.map { Count(name: $0.name, count: $0.count, link: nil) },
            queues: overview.queues.map {
                Queue(queue: $0.queue, queued: $0.queued, running: $0.running, retrying: $0.retrying,
                      oldest: $0.oldestWaitingSeconds.map(ConsoleText.age(seconds:)) ?? "–")
            }, hasQueues: !overview.queues.isEmpty, outboxBacklog: overview.outboxBacklog,
            dead: overview.deadLetters.map { Dead(queue: $0.queue, errorClass: $0.errorClass, stage: $0.stage, count: $0.count, link: link($0)) },
            hasDead: !overview.deadLetters.isEmpty, chart: OverviewChart.svg(overview.hours),
            deadTotal: overview.hours.map(\.deadLetters).reduce(0, +), finishedTotal: overview.hours.map(\.finishedJobs).reduce(0, +))
        return try pages.page("overview", model)
    }
}
