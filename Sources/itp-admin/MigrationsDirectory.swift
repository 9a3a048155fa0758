import Foundation
import Settings

extension Setting {
    static let migrationsDirectory = Setting(
        "ITP_MIGRATIONS_DIR", flag: "migrations-dir",
        help: "Directory of NNNN_name.sql files. Default: the first of <repo>/migrations next to a development build, /usr/share/itp/migrations, ./migrations.")
}

/// Finds the `migrations/` directory: the setting, else next to a development build
/// (`<repo>/.build/<triple>/<config>/itp-admin`), else the installed location, else the
/// working directory.
enum MigrationsDirectory {
    static func resolve(flag: String?, source: SettingsSource) throws -> URL {
        if let explicit = Setting.migrationsDirectory.raw(flag: flag, in: source) {
            guard isDirectory(explicit) else {
                throw Setting.migrationsDirectory.error("\(explicit) is not a directory")
            }
            return URL(fileURLWithPath: explicit)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates: [URL] = []
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            directory = directory.deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("migrations"))
        }
        candidates.append(URL(fileURLWithPath: "/usr/share/itp/migrations"))
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("migrations"))
        guard let found = candidates.first(where: { isDirectory($0.path) }) else {
            throw Setting.migrationsDirectory.error("not set, and none of \(candidates.map(\.path).joined(separator: ", ")) exists")
        }
        return found
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
