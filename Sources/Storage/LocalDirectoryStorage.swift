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
            let temporary = directory + "/.tmp-\(UUID().uuidString)"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw StorageError.system("cannot create \(temporary)", errno: errno) }
            var written = 0
            // errno is read where the call failed: close and unlink would overwrite it.
            var failure: Int32 = 0
            bytes.withUnsafeBytes { buffer in
                while written < buffer.count {
                    let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    written += n
                }
                if fsync(fd) != 0 { failure = errno }
            }
            close(fd)
            if failure == 0, rename(temporary, path) != 0 { failure = errno }
            guard failure == 0 else {
                unlink(temporary)
                throw StorageError.system("cannot write \(path)", errno: failure)
            }
            // The rename is durable once the directory entry is: flush the directory too.
            let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directoryFD >= 0 else { throw StorageError.system("cannot open \(directory)", errno: errno) }
            defer { close(directoryFD) }
            guard fsync(directoryFD) == 0 else { throw StorageError.system("cannot flush \(directory)", errno: errno) }
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
