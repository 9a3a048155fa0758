import Foundation

/// CPU time of processes from `/proc/<pid>/stat` (utime + stime, in clock ticks).
public enum ProcessCPU {
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Seconds of CPU used so far by `pid` (user + system), nil when it is gone.
    public static func seconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3; utime 14, stime 15, cutime 16, cstime 17.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let user = Double(fields[11]), let system = Double(fields[12]),
              let childUser = Double(fields[13]), let childSystem = Double(fields[14]) else { return nil }
        return (user + system + childUser + childSystem) / ticksPerSecond
    }

    /// Pids whose command line contains `needle` (e.g. a private data directory).
    public static func pids(commandLineContaining needle: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return commandLine.contains(needle) ? pid : nil
        }
    }
}

extension ProcessCPU {
    /// CPU seconds of `root` and every live descendant, including what reaped children used
    /// (a Postgres postmaster reaps its backends, so their time lands in its `cutime`).
    public static func treeSeconds(root: Int32) -> Double {
        var children: [Int32: [Int32]] = [:]
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap({ Int32($0) }) ?? [] {
            guard let parent = parentPID(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var total = 0.0
        var pending = [root]
        while let pid = pending.popLast() {
            total += seconds(of: pid) ?? 0
            pending += children[pid] ?? []
        }
        return total
    }

    static func parentPID(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }
}
