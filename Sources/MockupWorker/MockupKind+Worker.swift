public import JobRuntime
public import Mockups
import ProductFlow

/// How each kind of mockup appears in the fleet: its job kind, its queue, the asset role
/// its result takes and where its blobs are stored.
extension MockupKind {
    /// `mockup.flat_lay` or `mockup.mr_imagine`.
    public var jobKind: String {
        switch self {
        case .flatLay: JobKinds.mockupFlatLay
        case .mrImagine: JobKinds.mockupMrImagine
        }
    }

    /// The kind a job kind names, or nil for any other job kind.
    public init?(jobKind: String) {
        guard let kind = MockupKind.allCases.first(where: { $0.jobKind == jobKind }) else { return nil }
        self = kind
    }

    /// The work queue of DESIGN.md §8 that carries this kind.
    public var workQueue: Topology.WorkQueue {
        switch self {
        case .flatLay: ProductQueues.mockupFlatLay
        case .mrImagine: ProductQueues.mockupMrImagine
        }
    }

    /// The `asset_role` of the mockups this kind makes.
    public var assetRole: String {
        switch self {
        case .flatLay: JobKinds.mockupFlatLayAssetRole
        case .mrImagine: JobKinds.mockupMrImagineAssetRole
        }
    }
}
