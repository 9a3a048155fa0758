/// The fleet's daemon kinds (DESIGN.md §8 executable names).
public enum DaemonKind: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case intake = "itp-intake"
    case finalizer = "itp-finalizer"
    case design = "itp-design-worker"
    case flatLay = "itp-flatlay-worker"
    case mrImagine = "itp-mr-imagine"

    public var executable: String { rawValue }
    public var description: String { rawValue }

    /// Whether the daemon runs image work (for the CPU split of the benchmark).
    public var isImageWorker: Bool { self == .design || self == .flatLay || self == .mrImagine }
}
