import Foundation

/// Template instances through `systemctl` (`itp-flatlay-worker@N.service`): which run,
/// and starting or stopping some. The executable is a setting so that tests (and hosts
/// with systemctl elsewhere) can substitute it.
public struct SystemdInstances: Sendable {
    public var systemctl: String

    public init(systemctl: String) {
        self.systemctl = systemctl
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Instance numbers of `unit@N.service` that are active (or starting).
    public func running(_ unit: String) throws -> [Int] {
        let output = try run(["list-units", "--type=service", "--state=active,activating,reloading", "--plain", "--no-legend",
                              "--no-pager", "\(unit)@*.service"])
        guard output.status == 0 else {
            throw Failure(description: "systemctl list-units exited \(output.status): \(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let prefix = "\(unit)@"
        return output.stdout.split(separator: "\n").compactMap { line -> Int? in
            guard let name = line.split(separator: " ", omittingEmptySubsequences: true).first,
                  name.hasPrefix(prefix), name.hasSuffix(".service") else { return nil }
            return Int(name.dropFirst(prefix.count).dropLast(".service".count))
        }.sorted()
    }

    /// The `systemctl` command lines that move from `running` to `desired` instances:
    /// new instances take the lowest free numbers, scale-in stops the highest.
    public static func commands(unit: String, running: [Int], desired: Int) -> [[String]] {
        if desired > running.count {
            var numbers: [Int] = []
            var candidate = 1
            while numbers.count < desired - running.count {
                if !running.contains(candidate) { numbers.append(candidate) }
                candidate += 1
            }
            return [["start"] + numbers.map { "\(unit)@\($0).service" }]
        }
        if desired < running.count {
            let stopping = running.sorted().suffix(running.count - desired)
            return [["stop"] + stopping.map { "\(unit)@\($0).service" }]
        }
        return []
    }

    public func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        if systemctl.contains("/") {
            process.executableURL = URL(fileURLWithPath: systemctl)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [systemctl] + arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot run \(systemctl): \(error)")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
