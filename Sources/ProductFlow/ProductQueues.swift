public import JobRuntime

/// The product flow's work queues (DESIGN.md §5, §8): the data the generic ``Topology`` of
/// `JobRuntime` is built from. Queue names are part of the operator interface: keep them stable.
public enum ProductQueues {
    public static let designGenerate = Topology.WorkQueue(
        name: "design.generate", deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: ["design.generate"])
    public static let mockupFlatLay = Topology.WorkQueue(
        name: "mockup.flat_lay", deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: ["mockup.flat_lay"])
    public static let mockupMrImagine = Topology.WorkQueue(
        name: "mockup.mr_imagine", deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: ["mockup.mr_imagine"])
    /// Every event (`design.generated`, `mockup.completed`, `mockup.failed`) reaches the finalizer.
    public static let finalizerEvents = Topology.WorkQueue(
        name: "finalizer.events", deliveryLimit: 20, exchange: Topology.eventsExchange, bindingKeys: ["#"])

    /// Storefront webhooks (DESIGN.md §10): one job per delivery, sent by `itp-webhook-worker`.
    public static let webhookDeliver = Topology.WorkQueue(
        name: "webhook.deliver", deliveryLimit: 20, exchange: Topology.jobsExchange, bindingKeys: ["webhook.deliver"])

    /// Every work queue of the fleet, in the order `itp-admin broker setup` declares them.
    public static let all = [designGenerate, mockupFlatLay, mockupMrImagine, finalizerEvents, webhookDeliver]

    /// The fleet's whole broker topology (`itp-admin broker setup`, `deploy/rabbitmq-definitions.json`).
    public static var topology: Topology { Topology(workQueues: all) }
}
