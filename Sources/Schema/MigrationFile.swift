public import Foundation

/// One `migrations/NNNN_name.sql` file. The number orders the files and is the version
/// recorded in `schema_migrations`.
public struct MigrationFile: Sendable, Equatable {
    public var version: Int
    /// The file name, e.g. `0001_initial.sql`.
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Loads every `*.sql` file of `directory`, ordered by version.
    ///
    /// A file whose name does not start with a number and `_`, or two files with the same
    /// number, stop the load: applying migrations in an unclear order is worse than not
    /// applying them.
    public static func load(from directory: URL) throws -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError(.directoryUnreadable, "cannot read migrations directory \(directory.path): \(error)")
        }
        var files: [MigrationFile] = []
        for name in names where name.hasSuffix(".sql") {
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, name.dropFirst(digits.count).first == "_", let version = Int(digits) else {
                throw MigrationError(.badFileName, "migration file \(name) must be named NNNN_description.sql")
            }
            if let clash = files.first(where: { $0.version == version }) {
                throw MigrationError(.badFileName, "migration files \(clash.name) and \(name) share version \(version)")
            }
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let sql = String(data: data, encoding: .utf8)
            else {
                throw MigrationError(.directoryUnreadable, "cannot read \(url.path) as UTF-8")
            }
            files.append(MigrationFile(version: version, name: name, sql: sql))
        }
        return files.sorted { $0.version < $1.version }
    }
}
