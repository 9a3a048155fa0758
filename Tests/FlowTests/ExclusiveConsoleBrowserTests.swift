import FleetTesting
import Foundation
import HTTPTransport
import Testing

/// The operator console in a real browser against the real fleet (issue 16): flat-lay jobs die
/// (the flat-lay worker's navy image is broken after it booted) and fail their products; an
/// operator signs in to `itp-admin console`, filters the dead letters by error class and
/// stage, selects all that match across pages, sees the dry-run count, replays at a chosen
/// rate, watches the progress and the per-item results; the products then complete. A shop user
/// and a shop key cannot sign in, a read-only operator cannot act, an action without its CSRF
/// token is refused, and the audit shows the replay. The overview shows the broker's readings,
/// the scaling page the plan, and a fourth product (left at its selection) shows its designs'
/// thumbnails on its page and is cancelled there, audited (`Tests/Browser/console_flow.py`).
@Suite(.serialized)
struct ExclusiveConsoleBrowserTests {
    static let python = Fleet.repository.appendingPathComponent(".venv-browser/bin/python").path
    static let script = Fleet.repository.appendingPathComponent("Tests/Browser/console_flow.py").path
    static let products = 3

    @Test func anOperatorReplaysDeadFlatLaysInTheBrowserAndTheProductsComplete() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "run scripts/install-deps (makes .venv-browser)")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "chromium-driver is not installed")
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("console-templates")).path
        try FileManager.default.copyItem(atPath: Fleet.repository.appendingPathComponent("templates").path, toPath: templates)
        defer { try? FileManager.default.removeItem(atPath: templates) }
        let fleet = try await Fleet(credits: Self.products * 2 + 2, flatLayTemplates: templates)
        var console: Process?
        do {
            console = try await run(fleet, templates: templates)
        } catch {
            Self.stop(console)
            await fleet.stop()
            throw error
        }
        Self.stop(console)
        await fleet.stop()
    }

    private func run(_ fleet: Fleet, templates: String) async throws -> Process {
        try await fleet.waitUntilServing()
        try await fleet.waitUntilReady("itp-flatlay-worker")
        var products: [String] = []
        for index in 0..<Self.products {
            let created = try await fleet.object(.post, "/v1/products", json: """
                {"prompt":"a lighthouse number \(index), bold badge","product_type":"tshirt","shirt_color":"navy","candidates":1}
                """)
            products.append(try #require(created["id"] as? String))
        }
        let cancelled = try #require(try await fleet.object(.post, "/v1/products", json: """
            {"prompt":"a lighthouse to cancel, bold badge","product_type":"tshirt","shirt_color":"white","candidates":2}
            """)["id"] as? String)
        let image = templates + "/tshirt/navy/flat_lay.png"
        let good = try Data(contentsOf: URL(fileURLWithPath: image))
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: image))
        for product in products {
            try await fleet.waitForStatus(product, "awaiting_selection")
            let designs = try await fleet.object(.get, "/v1/products/\(product)/designs")
            let candidate = try #require((designs["candidates"] as? [[String: Any]])?.first)
            let variants = try #require(candidate["variants"] as? [[String: Any]])
            let original = try #require(variants.first { $0["variant"] as? String == "original" }?["asset_id"] as? String)
            _ = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(original)"}"#)
        }
        try await waitUntil("the products to fail\n\(fleet.logs)", timeout: .seconds(300), poll: .milliseconds(250)) {
            try fleet.count("SELECT count(*) FROM products WHERE status = 'failed'") == Self.products
        }
        try await waitUntil("the flat-lay dead letters\n\(fleet.logs)", timeout: .seconds(120)) {
            try fleet.count("SELECT count(*) FROM dead_letters WHERE job_kind = 'mockup.flat_lay'") == Self.products
        }
        let (errorClass, stage) = try fleet.deadLetterClassAndStage()
        try await fleet.waitForStatus(cancelled, "awaiting_selection")
        // Repaired before the replay: the replayed jobs succeed and the products complete.
        try good.write(to: URL(fileURLWithPath: image))

        let operatorPassword = "operator password for the browser", watcherPassword = "watcher password for the browser"
        let shopPassword = "shop user password for the browser"
        for arguments in [
            ["operators", "create", "ops", "--password", operatorPassword],
            ["operators", "create", "watcher", "--read-only", "--password", watcherPassword],
            ["users", "create", "--owner", "flow-shop", "--email", "shop@flow.test", "--password", shopPassword],
        ] {
            let made = try await fleet.admin(arguments)
            #expect(made.status == 0, "\(arguments): \(made.stderr)")
        }
        let port = try freeLoopbackPort()
        // The fleet's asset storage: the product page's thumbnails are made from it.
        let console = try fleet.spawnAdmin(
            ["console", "--console-addr", "127.0.0.1:\(port)", "--page-size", "2", "--storage-url", "file://\(fleet.storage)"], log: "console")
        let base = "http://127.0.0.1:\(port)"
        try await waitUntil("the console to listen", timeout: .seconds(60), poll: .milliseconds(100)) {
            let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(1), totalTimeout: .seconds(5)))
            return (try? await client.perform(HTTPRequest(url: base + "/sign-in")))?.status == 200
        }

        let out = Fleet.repository.appendingPathComponent("docs/screenshots").path
        let run = try await ProcessRunner.capture(Self.python, [
            Self.script, "--base-url", base, "--out", out, "--operator", "ops:\(operatorPassword)",
            "--watcher", "watcher:\(watcherPassword)", "--shop", "shop@flow.test:\(shopPassword)", "--shop-key", fleet.apiKey,
            "--error-class", errorClass, "--stage", stage, "--expect", "\(Self.products)", "--cancel-product", cancelled,
        ])
        let lastLine = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let result = try #require(
            try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
            "no JSON from the console flow (exit \(run.status)):\n\(run.stderr.suffix(4000))\n\(fleet.logs)")
        let checks = result["checks"] as? [String: [String: Any]] ?? [:]
        #expect(checks.count >= 20, "too few checks ran: \(checks.keys.sorted())")
        for (name, check) in checks.sorted(by: { $0.key < $1.key }) {
            #expect(check["ok"] as? Bool == true, "\(name): \(check["detail"] ?? "")  (screenshots in \(out))")
        }
        #expect(run.status == 0, "console flow exit \(run.status)\n\(run.stderr.suffix(3000))")

        // The replayed flat-lays ran: every product completes.
        for product in products { try await fleet.waitForStatus(product, "ready_for_sale") }
        #expect(try fleet.count("""
            SELECT count(*) FROM operator_audit WHERE actor = 'ops' AND surface = 'console' AND action = 'dlq.replay'
              AND state = 'done' AND succeeded = \(Self.products) AND (dry_run->>'replay')::int = \(Self.products)
            """) == 1)
        #expect(try fleet.count("SELECT count(*) FROM operator_audit WHERE actor = 'watcher'") == 0)
        #expect(try fleet.count("SELECT count(*) FROM products WHERE id = \(cancelled)::uuid AND status = 'cancelled'") == 1)
        #expect(try fleet.count("""
            SELECT count(*) FROM operator_audit WHERE actor = 'ops' AND surface = 'console' AND action = 'product.cancel'
              AND selection->>'product' = \(cancelled)
            """) == 1)
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(cancelled)::uuid AND kind = 'refund'") == 1)
        print("console screenshots: \(out)")
        return console
    }

    static func stop(_ process: Process?) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
