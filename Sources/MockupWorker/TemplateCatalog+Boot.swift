public import Mockups
import Settings

extension TemplateCatalog {
    /// The catalogue a `kind` worker boots with: loaded and checked (every image of that
    /// kind decoded), so a broken catalogue stops the daemon at start with the list of
    /// problems rather than failing every job later. Problems of the other kind's
    /// templates are not this worker's concern and do not stop it.
    ///
    /// - Throws: ``SettingsError`` naming `ITP_TEMPLATES_DIR`, with every problem.
    public static func loadChecked(directory: String, for kind: MockupKind) throws -> TemplateCatalog {
        let setting = MockupWorkerConfiguration.templatesDirectorySetting
        let catalog: TemplateCatalog
        do {
            catalog = try TemplateCatalog(directory: directory)
        } catch {
            throw setting.error("cannot load the template catalogue: \(error)")
        }
        let otherKinds = MockupKind.allCases.filter { $0 != kind }.map { ".\($0.rawValue)" }
        let problems = catalog.check(decodingImages: true).filter { problem in
            !otherKinds.contains { problem.location.contains($0 + ".") || problem.location.hasSuffix($0) }
        }
        guard problems.isEmpty else {
            let list = problems.map(\.description).joined(separator: "; ")
            throw setting.error("the template catalogue in \(directory) has \(problems.count) problem(s) (run `itp-admin templates check`): \(list)")
        }
        return catalog
    }
}
