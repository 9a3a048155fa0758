public import Foundation

/// A systemctl stand-in for the scale plan's tests (`itp-admin scale plan --systemctl`, the
/// console's scaling page): `list-units` prints the given instances as running, every call is
/// logged.
public struct FakeSystemctl: Sendable {
    public let directory: URL
    public var path: String { directory.appendingPathComponent("systemctl").path }
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("calls.log"), encoding: .utf8)) ?? "" }

    public init(unit: String, instances: [Int]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("systemctl"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let units = instances.map { "\(unit)@\($0).service loaded active running test instance" }.joined(separator: "\n")
        try Data((units.isEmpty ? "" : units + "\n").utf8).write(to: directory.appendingPathComponent("units"))
        let script = """
            #!/bin/sh
            echo "$@" >> "\(directory.path)/calls.log"
            case "$1" in list-units) cat "\(directory.path)/units" ;; esac
            exit 0
            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}
