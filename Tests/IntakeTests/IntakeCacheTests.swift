import FleetTesting
import Foundation
import Intake
import Prometheus
import Testing

/// The intake's in-memory galleries and API keys (``IntakeCaches``), against the real
/// LISTEN connection and the triggers of migration 0008: a repeated read is answered from
/// memory, and every change the database makes — by a worker, an operator's SQL, a
/// revocation — reaches the next read once its NOTIFY has arrived.
@Suite("In-memory galleries and API keys, kept current by NOTIFY")
struct IntakeCacheTests {
    /// `itp_http_cache_lookups_total{cache, result}` as the registry holds it now.
    private static func lookups(_ registry: PrometheusCollectorRegistry, cache: String, result: String) -> Int {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("itp_http_cache_lookups_total{") && $0.contains(#"cache="\#(cache)""#) && $0.contains(#"result="\#(result)""#)
        }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    private static func waitForListener(_ fixture: IntakeFixture) async throws {
        try await waitUntil("the intake to LISTEN") {
            try await fixture.count("""
                SELECT count(*) FROM pg_stat_activity WHERE application_name = \(fixture.schema) AND query ILIKE 'LISTEN%'
                """) == 1
        }
    }

    @Test("a gallery is answered from memory, follows every change of its assets, and is never another shop's")
    func galleries() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(), stranger = try await fixture.makeOwner()
            let registry = PrometheusCollectorRegistry()
            try await fixture.withClient(.live, configure: { $0.httpMetrics = HTTPMetrics(registry: registry) }) { client in
                let product = try await client.createProduct(owner)
                let design = try await fixture.seedDesigns(product)[0][1]
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(design)).status == 202)
                try await Self.waitForListener(fixture)

                // Read until one read is a hit: notifications of the setup may still drop the first entries.
                try await waitUntil("a gallery read answered from memory") {
                    let reply = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                    #expect(reply.json[array: "slots"].map { $0["status"] as? String } == ["ready", "pending", "pending"])
                    return Self.lookups(registry, cache: "gallery", result: "hit") > 0
                }
                // Another shop's key gets the same 404 as for an unknown id, cached or not.
                #expect(try await client.send(.get, APIClient.path(product, "/gallery"), as: stranger).status == 404)

                // A worker's commit (a new active flat-lay) reaches the gallery through its NOTIFY.
                let flatLay = try await fixture.seedMockup(product, role: "mockup_flat_lay", design: design, selection: 1)
                try await waitUntil("the gallery to show the new flat-lay") {
                    let reply = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                    return reply.json[array: "slots"].map { $0["asset_id"] as? String }[1] == flatLay.uuidString.lowercased()
                }
                // So does an operator's direct SQL: the trigger, not the code path, notifies.
                try await fixture.execute("UPDATE product_assets SET is_active = false WHERE id = \(flatLay)")
                try await waitUntil("the gallery to drop the deactivated flat-lay") {
                    let reply = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                    return reply.json[array: "slots"].map { $0["status"] as? String } == ["ready", "pending", "pending"]
                }
            }
        }
    }

    @Test("a revoked key stops working once its NOTIFY arrives, however recently it was remembered")
    func revokedKeys() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let registry = PrometheusCollectorRegistry()
            try await fixture.withClient(.live, configure: { $0.httpMetrics = HTTPMetrics(registry: registry) }) { client in
                try await Self.waitForListener(fixture)
                try await waitUntil("a request authenticated from memory") {
                    let status = try await client.send(.get, "/v1/products", as: owner).status
                    #expect(status == 200)
                    return Self.lookups(registry, cache: "api_key", result: "hit") > 0
                }
                // The right prefix with a wrong secret is refused even while the key is remembered.
                var forged = owner
                forged.key = "itp_\(owner.prefix)_" + String(repeating: "0", count: 32)
                #expect(try await client.send(.get, "/v1/products", as: forged).status == 401)

                try await fixture.execute("UPDATE api_keys SET revoked_at = now() WHERE prefix = \(owner.prefix)")
                try await waitUntil("the revoked key to be refused") {
                    try await client.send(.get, "/v1/products", as: owner).status == 401
                }
                // And it stays refused: nothing remembered it in between.
                #expect(try await client.send(.get, "/v1/products", as: owner).status == 401)
            }
        }
    }
}
