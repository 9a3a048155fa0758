import ArgumentParser
import Foundation
import Mockups
import Settings

/// `itp-admin templates …`: the mockup template catalogue.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Inspect the mockup template catalogue; re-render live mockups after a template changes.",
        subcommands: [TemplatesCheckCommand.self, TemplatesRerenderCommand.self])
}

/// `itp-admin templates check`: what the mockup workers check at boot, for every kind, so
/// an operator can validate replaced images before restarting the workers.
struct TemplatesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the template manifest and every image it names; print each problem; exit 1 when there is any.",
        discussion: """
            Checks the manifest's structure and declared defaults, duplicate template ids, that every
            image is a PNG inside the directory within the size limits and decodes completely, that
            shading images match their base image's size, and that every print area lies inside its
            image (quads convex, corners in top-left, top-right, bottom-right, bottom-left order).
            """ + "\n\n" + DaemonSettings.helpSection([.templatesDirectory]))

    @Option(setting: .templatesDirectory)
    var templatesDirectory: String?

    @Option(setting: .configFile)
    var configFile: String?

    @Flag(name: .customLong("headers-only"), help: "Read only each image's header (faster; misses corrupt pixel data).")
    var headersOnly = false

    func run() throws {
        let source = try DaemonBoot.check("itp-admin templates check") { try SettingsSource.load(configFile: configFile) }
        let directory = Setting.templatesDirectory.raw(flag: templatesDirectory, in: source) ?? "templates"
        let catalog: TemplateCatalog
        do {
            catalog = try TemplateCatalog(directory: directory)
        } catch {
            print("manifest: \(error)")
            throw ExitCode(1)
        }
        let problems = catalog.check(decodingImages: !headersOnly)
        for problem in problems {
            print(problem)
        }
        let templates = MockupRerender.currentVersions(catalog).count
        guard problems.isEmpty else {
            print("\(problems.count) problem(s) in \(directory)")
            throw ExitCode(1)
        }
        print("ok: \(templates) templates in \(directory)")
    }
}

extension Setting {
    /// The same setting the mockup workers read (`MockupWorkerConfiguration` in MockupWorker,
    /// which this tool does not link); the variable name comes from the catalogue itself.
    static let templatesDirectory = Setting(
        TemplateCatalog.directoryVariable, flag: "templates-dir",
        help: "The mockup template catalogue: a directory with manifest.json and the images it names.",
        default: "templates")
}
