import FleetTesting
import Foundation
import Testing

/// The design library in a real browser against the real fleet (`Tests/Browser/library_flow.py`,
/// Selenium in the venv `scripts/install-deps` makes): save a selected design to the library,
/// put it on two garments with "use this design on…" (a double submit makes nothing twice), both
/// products reach `ready_for_sale` with the gallery of three; another shop sees nothing of it.
@Suite(.serialized)
struct ExclusiveLibraryBrowserTests {
    static let script = Fleet.repository.appendingPathComponent("Tests/Browser/library_flow.py").path

    @Test func aShopperSavesADesignAndUsesItOnTwoGarments() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ExclusiveBuilderBrowserTests.python), "run scripts/install-deps (makes .venv-browser)")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "chromium-driver is not installed")
        let fleet = try await Fleet(credits: 10)
        do {
            try await fleet.waitUntilServing()
            let passwordA = "correct horse battery A", passwordB = "correct horse battery B"
            let userA = try await fleet.admin(["users", "create", "--owner", "flow-shop", "--email", "a@flow.test", "--password", passwordA])
            #expect(userA.status == 0, "\(userA.stderr)")
            let userB = try await fleet.admin(["users", "create", "--owner", "other-shop", "--email", "b@other.test", "--password", passwordB])
            #expect(userB.status == 0, "\(userB.stderr)")

            let out = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("library-shots")).path
            let run = try await ProcessRunner.capture(ExclusiveBuilderBrowserTests.python, [
                Self.script, "--base-url", fleet.api, "--out", out,
                "--user-a", "a@flow.test:\(passwordA)", "--user-b", "b@other.test:\(passwordB)",
            ])
            let lastLine = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
            let result = try #require(
                try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
                "no JSON from the library flow (exit \(run.status)):\n\(run.stderr.suffix(4000))\n\(fleet.logs)")
            let checks = result["checks"] as? [String: [String: Any]] ?? [:]
            #expect(checks.count >= 20, "too few checks ran: \(checks.keys.sorted())")
            for (name, check) in checks.sorted(by: { $0.key < $1.key }) {
                #expect(check["ok"] as? Bool == true, "\(name): \(check["detail"] ?? "")  (screenshots in \(out))")
            }
            #expect(run.status == 0, "library flow exit \(run.status); screenshots in \(out)\n\(run.stderr.suffix(3000))")
            print("library screenshots: \(out)")
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }
}
