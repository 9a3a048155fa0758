public import JobRuntime

/// The product flow's job kinds and the queues that carry them (DESIGN.md §2, §8).
public enum JobKinds {
    public static let designGenerate = "design.generate"
    public static let mockupFlatLay = "mockup.flat_lay"
    public static let mockupMrImagine = "mockup.mr_imagine"

    public static func queue(for kind: String) -> Topology.WorkQueue? {
        switch kind {
        case designGenerate: Topology.designGenerate
        case mockupFlatLay: Topology.mockupFlatLay
        case mockupMrImagine: Topology.mockupMrImagine
        default: nil
        }
    }
}
