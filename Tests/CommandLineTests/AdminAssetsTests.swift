import FleetTesting
import Foundation
import Postgres
import Testing

/// `itp-admin assets cleanup` as the built binary: a dry run first, then rows and blobs of
/// old archived or inactive assets go; the active primary design stays.
@Suite struct AdminAssetsTests {
    @Test func cleanupDeletesOldArchivedAssetsRowsAndBlobsAfterADryRun() async throws {
        let fixture = try await AdminFixture.make("admin_assets")
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("assets"))
        defer { try? FileManager.default.removeItem(at: storage) }
        let keys = ["p/old-design.png", "p/old-mockup.png", "p/primary.png", "p/recent.png"]
        for key in keys {
            let file = storage.appendingPathComponent(key)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: 7, count: 100).write(to: file)
        }
        let ids = try await fixture.sql { connection in
            try connection.transaction { connection -> [String: UUID] in
                let owner = try connection.query("INSERT INTO owners (name) VALUES ('assets') RETURNING id")[0].decode(UUID.self, at: 0)
                let product = try connection.query("""
                    INSERT INTO products (owner_id, prompt, product_type, shirt_color, status, selection_version)
                    VALUES (\(owner), 'a fox', 'tshirt', 'black', 'ready_for_sale', 2) RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                func asset(_ key: String, role: String, primary: Bool, archivedDaysAgo: Int?, candidate: Int, source: UUID? = nil) throws -> UUID {
                    let isDesign = role == "design"
                    let archived: SQL = archivedDaysAgo.map { "now() - make_interval(days => \($0))" } ?? "NULL"
                    return try connection.query("""
                        INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, is_primary_design, is_active,
                            archived_at, storage_key, content_type, width, height, byte_size, sha256, source_asset_id, selection_version,
                            updated_at)
                        VALUES (\(product), \(role)::asset_role, \(isDesign ? "original" : nil)::asset_variant, \(isDesign ? 1 : nil),
                            \(isDesign ? candidate : nil), \(primary), \(primary), \(archived), \(key), 'image/png', 10, 10, 100,
                            sha256(\(key)::bytea), \(source), \(isDesign ? nil : 1), COALESCE(\(archived), now()))
                        RETURNING id
                        """)[0].decode(UUID.self, at: 0)
                }
                let primary = try asset("p/primary.png", role: "design", primary: true, archivedDaysAgo: nil, candidate: 0)
                let oldDesign = try asset("p/old-design.png", role: "design", primary: false, archivedDaysAgo: 40, candidate: 1)
                let oldMockup = try asset("p/old-mockup.png", role: "mockup_flat_lay", primary: false, archivedDaysAgo: 40, candidate: 0, source: oldDesign)
                let recent = try asset("p/recent.png", role: "design", primary: false, archivedDaysAgo: 2, candidate: 2)
                return ["primary": primary, "oldDesign": oldDesign, "oldMockup": oldMockup, "recent": recent]
            }
        }
        let storageURL = "file://\(storage.path)"

        let dry = try await fixture.admin(["assets", "cleanup", "--older-than-days", "30", "--storage-url", storageURL])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would delete 2 asset row(s), 200 bytes"), "\(dry.stdout)")
        #expect(try await fixture.count("SELECT count(*) FROM product_assets") == 4)

        let apply = try await fixture.admin(["assets", "cleanup", "--older-than-days", "30", "--storage-url", storageURL, "--apply", "--json"])
        #expect(apply.status == 0, "\(apply.stderr)")
        let report = try #require(try apply.json() as? [String: Any])
        #expect(report["blobs_deleted"] as? Int == 2)
        #expect(Set((report["assets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                == Set([ids["oldDesign"], ids["oldMockup"]].compactMap { $0?.uuidString }))
        #expect(try await fixture.count("SELECT count(*) FROM product_assets") == 2)
        for key in ["p/old-design.png", "p/old-mockup.png"] {
            #expect(!FileManager.default.fileExists(atPath: storage.appendingPathComponent(key).path), "\(key)")
        }
        for key in ["p/primary.png", "p/recent.png"] {
            #expect(FileManager.default.fileExists(atPath: storage.appendingPathComponent(key).path), "\(key)")
        }
        await fixture.tearDown()
    }
}
