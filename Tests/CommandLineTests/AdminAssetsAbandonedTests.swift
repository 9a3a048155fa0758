import FleetTesting
import Foundation
import Postgres
import Testing

/// Issue 13: `assets cleanup` also removes every asset of a product cancelled long ago and
/// the candidates (pending selection) of a draft abandoned before selection; a recent
/// draft's candidates stay.
@Suite struct AdminAssetsAbandonedTests {
    @Test func cleanupCoversCancelledProductsAndAbandonedDrafts() async throws {
        let fixture = try await AdminFixture.make("admin_assets_abandoned")
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("assets"))
        defer { try? FileManager.default.removeItem(at: storage) }
        let keys = ["c/design.png", "c/mockup.png", "a/0.png", "a/1.png", "r/0.png"]
        for key in keys {
            let file = storage.appendingPathComponent(key)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: 7, count: 100).write(to: file)
        }
        let products = try await fixture.sql { connection in
            try connection.transaction { connection -> [String: UUID] in
                let owner = try connection.query("INSERT INTO owners (name) VALUES ('abandoned') RETURNING id")[0].decode(UUID.self, at: 0)
                func product(_ status: String, daysAgo: Int) throws -> UUID {
                    try connection.query("""
                        INSERT INTO products (owner_id, prompt, product_type, shirt_color, status, selection_version, updated_at)
                        VALUES (\(owner), 'a fox', 'tshirt', 'black', \(status)::product_status, \(status == "cancelled" ? 1 : 0),
                                now() - make_interval(days => \(daysAgo)))
                        RETURNING id
                        """)[0].decode(UUID.self, at: 0)
                }
                @discardableResult
                func asset(_ product: UUID, _ key: String, role: String = "design", primary: Bool = false, pending: Bool,
                           candidate: Int = 0, daysAgo: Int, source: UUID? = nil) throws -> UUID {
                    let isDesign = role == "design"
                    return try connection.query("""
                        INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, is_primary_design, is_active,
                            pending_selection, storage_key, content_type, width, height, byte_size, sha256, source_asset_id,
                            selection_version, updated_at)
                        VALUES (\(product), \(role)::asset_role, \(isDesign ? "original" : nil)::asset_variant, \(isDesign ? 1 : nil),
                            \(isDesign ? candidate : nil), \(primary), \(primary || !isDesign), \(pending), \(key), 'image/png', 10, 10, 100,
                            sha256(\(key)::bytea), \(source), \(isDesign ? nil : 1), now() - make_interval(days => \(daysAgo)))
                        RETURNING id
                        """)[0].decode(UUID.self, at: 0)
                }
                // Cancelled 40 days ago, after its selection: its active primary and mockup go too.
                let cancelled = try product("cancelled", daysAgo: 40)
                let design = try asset(cancelled, "c/design.png", primary: true, pending: false, daysAgo: 40)
                try asset(cancelled, "c/mockup.png", role: "mockup_flat_lay", pending: false, daysAgo: 40, source: design)
                // Abandoned at the selection screen 40 days ago.
                let abandoned = try product("awaiting_selection", daysAgo: 40)
                try asset(abandoned, "a/0.png", pending: true, candidate: 0, daysAgo: 40)
                try asset(abandoned, "a/1.png", pending: true, candidate: 1, daysAgo: 40)
                // Waiting for two days only: kept.
                let recent = try product("awaiting_selection", daysAgo: 2)
                try asset(recent, "r/0.png", pending: true, daysAgo: 2)
                return ["cancelled": cancelled, "abandoned": abandoned, "recent": recent]
            }
        }
        let storageURL = "file://\(storage.path)"

        let dry = try await fixture.admin(["assets", "cleanup", "--older-than-days", "30", "--storage-url", storageURL])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would delete 4 asset row(s), 400 bytes"), "\(dry.stdout)")
        #expect(try await fixture.count("SELECT count(*) FROM product_assets") == 5)

        let apply = try await fixture.admin(["assets", "cleanup", "--older-than-days", "30", "--storage-url", storageURL, "--apply", "--json"])
        #expect(apply.status == 0, "\(apply.stderr)")
        let report = try #require(try apply.json() as? [String: Any])
        #expect(report["blobs_deleted"] as? Int == 4)
        let recent = try #require(products["recent"])
        #expect(try await fixture.count("SELECT count(*) FROM product_assets") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(recent) AND pending_selection") == 1)
        for key in ["c/design.png", "c/mockup.png", "a/0.png", "a/1.png"] {
            #expect(!FileManager.default.fileExists(atPath: storage.appendingPathComponent(key).path), "\(key)")
        }
        #expect(FileManager.default.fileExists(atPath: storage.appendingPathComponent("r/0.png").path))
        // The products themselves stay.
        #expect(try await fixture.count("SELECT count(*) FROM products") == 3)
        await fixture.tearDown()
    }
}
