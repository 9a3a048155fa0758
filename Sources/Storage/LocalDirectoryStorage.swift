import Dispatch
import Foundation

/// Asset storage in a local directory (`file:///var/lib/itp/assets`). Writes go to a
/// temporary file in the same directory, are flushed, then renamed over the target (and the
/// directory flushed), so a crash leaves either the old object or the new one, never a torn
/// file.
public struct LocalDirectoryStorage: AssetStorage {
    public let root: String
    private let queue = DispatchQueue(label: "itp.storage.local", attributes: .concurrent)

    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    public func path(of key: StorageKey) -> String { root + "/" + key.rawValue }

    public func put(_ key: StorageKey, bytes: [UInt8], contentType: String) async throws {
        let path = path(of: key)
        try await blocking {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            do throws(AtomicFile.Failure) {
                try AtomicFile.write(bytes, to: path, mode: 0o644)
                // The rename is durable once the directory entry is: flush the directory too.
                try AtomicFile.flushDirectory(of: path)
            } catch {
                throw StorageError.system(error.what, errno: error.errno)
            }
        }
    }

    public func get(_ key: StorageKey) async throws -> [UInt8] {
        let path = path(of: key)
        return try await blocking {
            // Read straight into the array: through `Data` a worker would hold a design twice.
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                if errno == ENOENT || errno == ENOTDIR { throw StorageError(.notFound, "no object \(key)") }
                throw StorageError.system("cannot open \(path)", errno: errno)
            }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw StorageError.system("cannot stat \(path)", errno: errno) }
            let size = Int(info.st_size)
            guard size > 0 else { return [] }
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                while count < size {
                    let n = read(fd, buffer.baseAddress! + count, size - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if n == 0 { return }
                    count += n
                }
            }
            guard failure == 0 else { throw StorageError.system("cannot read \(path)", errno: failure) }
            guard bytes.count == size else {
                throw StorageError(.unavailable, "\(path) changed while being read (\(bytes.count) of \(size) bytes)")
            }
            return bytes
        }
    }

    public func exists(_ key: StorageKey) async throws -> Bool {
        let path = path(of: key)
        return await (try? blocking { FileManager.default.fileExists(atPath: path) }) ?? false
    }

    public func delete(_ key: StorageKey) async throws {
        let path = path(of: key)
        try await blocking {
            if unlink(path) != 0 && errno != ENOENT {
                throw StorageError.system("cannot delete \(path)", errno: errno)
            }
        }
    }

    /// File I/O runs on a dispatch queue, not the cooperative pool.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
