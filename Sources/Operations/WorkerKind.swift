import Foundation
import JobRuntime
import ProductFlow
public import Settings

/// A scalable worker: the queue it drains, the systemd template unit that runs it, and how
/// many jobs one instance runs at once (its prefetch setting, read from the same
/// environment or `--config` file the workers use).
public struct WorkerKind: Sendable, Equatable {
    public var queue: String
    /// The template's name without `@` (`itp-flatlay-worker` → `itp-flatlay-worker@3.service`).
    public var unit: String
    public var concurrency: Int

    /// The fleet's template units (DESIGN.md §2). The finalizer is one unit, not scaled.
    public static func defaults(source: SettingsSource) -> [WorkerKind] {
        func prefetch(_ name: String, default value: Int) -> Int {
            source.value(name).flatMap(Int.init).map { max(1, $0) } ?? value
        }
        return [
            WorkerKind(queue: ProductQueues.designGenerate.name, unit: "itp-design-worker", concurrency: prefetch("ITP_DESIGN_PREFETCH", default: 2)),
            WorkerKind(queue: ProductQueues.mockupFlatLay.name, unit: "itp-flatlay-worker", concurrency: prefetch("ITP_MOCKUP_PREFETCH", default: 1)),
            WorkerKind(queue: ProductQueues.mockupMrImagine.name, unit: "itp-mr-imagine", concurrency: prefetch("ITP_MOCKUP_PREFETCH", default: 1)),
        ]
    }

    /// `QUEUE=UNIT` from `--worker`.
    public static func parse(_ text: String, concurrency: Int) throws -> WorkerKind {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains("@") else {
            throw ValidationErrorText("--worker expects QUEUE=UNIT (e.g. mockup.flat_lay=itp-flatlay-worker), got '\(text)'")
        }
        return WorkerKind(queue: parts[0], unit: parts[1], concurrency: concurrency)
    }

    public func instanceUnit(_ number: Int) -> String { "\(unit)@\(number).service" }
}

public struct ValidationErrorText: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
