import FleetTesting
import Foundation
import Testing

/// The builder in a real browser against the real fleet: Debian's chromium and chromedriver,
/// driven by Selenium (`Tests/Browser/builder_flow.py`, in the venv `scripts/install-deps`
/// makes). The fleet's mr_imagine compositor has a broken red-tank photo, so one product shows
/// the fallback notice. Screenshots go to the test's scratch directory (printed on failure).
@Suite(.serialized)
struct ExclusiveBuilderBrowserTests {
    static let python = Fleet.repository.appendingPathComponent(".venv-browser/bin/python").path
    static let script = Fleet.repository.appendingPathComponent("Tests/Browser/builder_flow.py").path

    @Test func aShopperBuildsAProductInTheBrowser() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "run scripts/install-deps (makes .venv-browser)")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "chromium-driver is not installed")
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("browser-templates")).path
        try FileManager.default.copyItem(atPath: Fleet.repository.appendingPathComponent("templates").path, toPath: templates)
        defer { try? FileManager.default.removeItem(atPath: templates) }
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: "\(templates)/tank/red/mr_imagine.png"))

        let fleet = try await Fleet(credits: 6, mrImagineTemplates: templates)
        do {
            try await fleet.waitUntilServing()
            let passwordA = "correct horse battery A", passwordB = "correct horse battery B"
            let userA = try await fleet.admin(["users", "create", "--owner", "flow-shop", "--email", "a@flow.test", "--password", passwordA])
            #expect(userA.status == 0, "\(userA.stderr)")
            let userB = try await fleet.admin(["users", "create", "--owner", "empty-shop", "--email", "b@empty.test", "--password", passwordB])
            #expect(userB.status == 0, "\(userB.stderr)")

            let out = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("browser-shots")).path
            let run = try await ProcessRunner.capture(Self.python, [
                Self.script, "--base-url", fleet.api, "--out", out,
                "--user-a", "a@flow.test:\(passwordA)", "--user-b", "b@empty.test:\(passwordB)",
            ])
            let lastLine = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
            let result = try #require(
                try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
                "no JSON from the browser flow (exit \(run.status)):\n\(run.stderr.suffix(4000))\n\(fleet.logs)")
            let checks = result["checks"] as? [String: [String: Any]] ?? [:]
            #expect(checks.count >= 30, "too few checks ran: \(checks.keys.sorted())")
            for (name, check) in checks.sorted(by: { $0.key < $1.key }) {
                #expect(check["ok"] as? Bool == true, "\(name): \(check["detail"] ?? "")  (screenshots in \(out))")
            }
            #expect(run.status == 0, "browser flow exit \(run.status); screenshots in \(out)\n\(run.stderr.suffix(3000))")
            #expect(FileManager.default.fileExists(atPath: "\(out)/product-1440.png"), "no product screenshot in \(out)")
            print("builder screenshots: \(out)")
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }
}
