import Foundation

/// Which broker ports a process has an established TCP connection to, from the kernel's
/// own tables: the socket inodes among `/proc/PID/fd` matched against `/proc/net/tcp`. No
/// CLI call (a `rabbitmqctl` can hang while a peer is frozen) and no log level to rely on.
enum BrokerSockets {
    /// The remote ports among `candidates` that `pid` is connected to (IPv4 and IPv6).
    static func ports(of pid: Int32, among candidates: Set<Int>) -> Set<Int> {
        let inodes = socketInodes(of: pid)
        guard !inodes.isEmpty else { return [] }
        var ports = Set<Int>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // Read to the end: String(contentsOfFile:) stops after the first page of a /proc file.
            guard let handle = FileHandle(forReadingAtPath: table) else { continue }
            defer { try? handle.close() }
            guard let data = try? handle.readToEnd() else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n").dropFirst() {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[3] == "01", inodes.contains(String(fields[9])),
                    let colon = fields[2].lastIndex(of: ":"),
                    let port = Int(fields[2][fields[2].index(after: colon)...], radix: 16),
                    candidates.contains(port)
                else { continue }
                ports.insert(port)
            }
        }
        return ports
    }

    private static func socketInodes(of pid: Int32) -> Set<String> {
        let directory = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var inodes = Set<String>()
        for entry in entries {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)"),
                target.hasPrefix("socket:[")
            else { continue }
            inodes.insert(String(target.dropFirst("socket:[".count).dropLast()))
        }
        return inodes
    }
}
