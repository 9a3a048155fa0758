import Dispatch
public import Foundation
import Storage

/// Keeps what the image provider returned for a design job until the job succeeds or dies
/// (issue 13): with the asset store full, each retry called the provider again for every
/// candidate, so a paid API billed the job once per attempt. A retry on the same host reads
/// the candidates it already has from here and calls the provider only for the others.
///
/// Layout: `<directory>/<job id>/<candidate>.png`. Each file is written to a unique
/// temporary name in the job's directory, flushed and renamed into place, so a reader — this
/// process or another worker instance sharing the directory — sees a whole image or none;
/// two instances racing on one job (a redelivery while the first still runs) write the
/// same request's answer, and whichever rename lands last is as good as the other. A
/// different host has no spool: a retry there calls the provider again.
///
/// Best effort: a spool that cannot be written (full too, unwritable) costs money on a
/// retry, never correctness, so its failures are reported to the caller to log and ignored.
public struct ProviderSpool: Sendable {
    public let directory: String
    private let queue = DispatchQueue(label: "itp.design.spool", attributes: .concurrent)

    public init(directory: String) {
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
    }

    private func jobDirectory(_ job: UUID) -> String { directory + "/" + job.uuidString.lowercased() }
    private func path(_ job: UUID, candidate: Int) -> String { jobDirectory(job) + "/\(candidate).png" }

    /// The provider's image for this job and candidate, if an earlier attempt kept it.
    public func load(job: UUID, candidate: Int) async -> [UInt8]? {
        let path = path(job, candidate: candidate)
        return await blocking {
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
            return [UInt8](data)
        }
    }

    /// Keeps `png` for the job's retries. Throws a readable error (strerror text) on failure.
    public func save(_ png: [UInt8], job: UUID, candidate: Int) async throws {
        let directory = jobDirectory(job)
        let target = path(job, candidate: candidate)
        try await blockingThrowing {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            do throws(AtomicFile.Failure) {
                try AtomicFile.write(png, to: target, mode: 0o600)
            } catch {
                throw SpoolError("cannot keep the provider's image in \(target)", error.errno)
            }
        }
    }

    /// Forgets the job's images: it succeeded, or it will not run again.
    public func discard(job: UUID) async {
        let directory = jobDirectory(job)
        await blocking { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// ``discard(job:)`` on the calling thread, for the success transaction's closure.
    public func discardNow(job: UUID) {
        try? FileManager.default.removeItem(atPath: jobDirectory(job))
    }

    /// Removes the images of jobs untouched for `age` (jobs that died by a path the handler
    /// does not see: poison messages, cancellations, a crash). Returns how many jobs.
    @discardableResult
    public func sweep(olderThan age: TimeInterval) async -> Int {
        let directory = self.directory
        return await blocking {
            let cutoff = Date().addingTimeInterval(-age)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var removed = 0
            for name in names where UUID(uuidString: name) != nil {
                let path = directory + "/" + name
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
                if let modified, modified < cutoff, (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
            }
            return removed
        }
    }

    /// File I/O runs on a dispatch queue, not the cooperative pool.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    private func blockingThrowing(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A spool failure, with the system's words for the cause (`No space left on device`).
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ what: String, _ code: Int32) {
        description = "\(what): \(String(cString: strerror(code)))"
    }
}
