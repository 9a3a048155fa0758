import Foundation
import Hummingbird
import Operations
import Postgres
import ProductFlow
import Vocabulary
import WebPages

/// `/`: the fleet at a glance.
extension ConsoleRoutes {
    func overview(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        let overview = try await database.withConnection { try FleetOverview.load(on: $0) }
        let queues = await queueReadings(context)
        struct Count { var name: String; var count: Int; var link: String? }
        struct Queue {
            var queue: String; var declared: Bool; var ready: Int; var inFlight: Int; var consumers: Int; var queued: Int; var retrying: Int
            var oldest: String; var deadWaiting: Int
        }
        struct Dead { var queue: String; var errorClass: String; var stage: String; var count: Int; var link: String }
        struct Model {
            var bar: OperatorBar
            var products: [Count]
            var jobs: [Count]
            var queues: [Queue]
            var brokerProblem: String?
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
            queues: (queues.snapshots ?? []).map {
                Queue(queue: $0.queue, declared: $0.declared, ready: $0.ready, inFlight: $0.inFlight, consumers: $0.consumers, queued: $0.queuedJobs,
                      retrying: $0.retryingJobs, oldest: $0.oldestWaitingSeconds.map { ConsoleText.age(seconds: Int($0.rounded())) } ?? "–",
                      deadWaiting: $0.deadLetterQueueReady)
            }, brokerProblem: queues.problem, outboxBacklog: overview.outboxBacklog,
            dead: overview.deadLetters.map { Dead(queue: $0.queue, errorClass: $0.errorClass, stage: $0.stage, count: $0.count, link: link($0)) },
            hasDead: !overview.deadLetters.isEmpty, chart: OverviewChart.svg(overview.hours),
            deadTotal: overview.hours.map(\.deadLetters).reduce(0, +), finishedTotal: overview.hours.map(\.finishedJobs).reduce(0, +))
        return try pages.page("overview", model)
    }

    /// Every work queue as `itp-admin queues` reads it (``QueueSnapshot``): the broker's ready
    /// count and consumers, Postgres's jobs in flight and the oldest waiting one's age. The
    /// dead letters per queue are left out: the page groups them from `dead_letter_groups`.
    func queueReadings(_ context: Context) async -> (snapshots: [QueueSnapshot]?, problem: String?) {
        guard let broker else { return (nil, "This console has no broker connection: the queue readings are unavailable.") }
        do {
            return (try await QueueSnapshot.take(ProductQueues.all, broker: broker, database: database, deadLetters: false), nil)
        } catch {
            context.logger.warning("queue readings failed", metadata: [LogKey.error: "\(error)"])
            return (nil, "The broker did not answer: the queue readings are unavailable.")
        }
    }
}
