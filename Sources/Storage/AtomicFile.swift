import Foundation

/// Writes a whole file or nothing: to a unique temporary name in the target's directory,
/// flushed, then renamed over the target, so a reader (this process or another sharing the
/// directory) sees the old file or the new one, never a torn one. Blocking: call it off the
/// cooperative pool. Used by the local asset storage and the design worker's provider spool.
public enum AtomicFile {
    /// A failed system call: what was being done and its errno (strerror is the caller's).
    public struct Failure: Error, Sendable {
        public var what: String
        public var errno: Int32
    }

    /// Writes `bytes` to `path` with `mode`; the directory must exist. Does not flush the
    /// directory entry (``flushDirectory(of:)`` does, where the rename must survive a crash).
    public static func write(_ bytes: [UInt8], to path: String, mode: UInt32) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-\(UUID().uuidString)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw Failure(what: "cannot create \(temporary)", errno: errno) }
        var written = 0
        // errno is read where the call failed: close and unlink would overwrite it.
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
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
            throw Failure(what: "cannot write \(path)", errno: failure)
        }
    }

    /// Flushes the directory holding `path`, so a rename into it is durable.
    public static func flushDirectory(of path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw Failure(what: "cannot open \(directory)", errno: errno) }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw Failure(what: "cannot flush \(directory)", errno: errno) }
    }
}
