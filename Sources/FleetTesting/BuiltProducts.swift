import Foundation

/// The executables built next to the running test bundle (`.build/<triple>/debug`), so that
/// tests run the real binaries the way an operator or systemd does.
public enum BuiltProducts {
    public static func path(_ name: String) throws -> String {
        let directory: String
        if let explicit = ProcessInfo.processInfo.environment["ITP_BIN_DIR"], !explicit.isEmpty {
            directory = explicit
        } else {
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            directory = executable.deletingLastPathComponent().path
        }
        let path = directory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestEnvironmentError("\(name) is not built in \(directory): run `swift build` first (scripts/test does)")
        }
        return path
    }
}
