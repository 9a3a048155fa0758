public import JobRuntime

/// The product flow's job kinds and the queues that carry them (DESIGN.md §2, §8).
public enum JobKinds {
    public static let designGenerate = "design.generate"
    public static let mockupFlatLay = "mockup.flat_lay"
    public static let mockupMrImagine = "mockup.mr_imagine"
    /// One storefront webhook delivery (its job carries no product: a delivery that dies
    /// never changes a product).
    public static let webhookDeliver = "webhook.deliver"

    public static func queue(for kind: String) -> Topology.WorkQueue? {
        switch kind {
        case designGenerate: ProductQueues.designGenerate
        case mockupFlatLay: ProductQueues.mockupFlatLay
        case mockupMrImagine: ProductQueues.mockupMrImagine
        case webhookDeliver: ProductQueues.webhookDeliver
        default: nil
        }
    }

    /// The `asset_role` of flat-lay and mr_imagine mockups.
    public static let mockupFlatLayAssetRole = "mockup_flat_lay"
    public static let mockupMrImagineAssetRole = "mockup_mr_imagine"

    /// The `asset_role` the mockups of a mockup job kind take; nil for any other kind.
    public static func mockupAssetRole(of kind: String) -> String? {
        switch kind {
        case mockupFlatLay: mockupFlatLayAssetRole
        case mockupMrImagine: mockupMrImagineAssetRole
        default: nil
        }
    }
}
