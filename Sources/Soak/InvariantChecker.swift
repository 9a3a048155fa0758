public import Foundation
import Postgres

/// The end-of-run checks of the soak (issue 8), against one schema and its asset
/// directory. Each check is a query whose every row is a violation; what it counted when
/// clean is printed too, so a report shows the run really exercised the paths.
public struct InvariantChecker: Sendable {
    /// What the harness injected on purpose, which the dead letters must equal exactly.
    public struct Injected: Sendable {
        /// Original message ids of the malformed messages published to work queues.
        public var poisonMessageIDs: Set<String> = []
        /// Poison whose publish was not confirmed (a broker fault met it): recorded at most once.
        public var uncertainPoisonMessageIDs: Set<String> = []
        /// Products whose provider answered garbage every time (they must fail, and their
        /// design job's dead letter is an injected one).
        public var garbageProducts: Set<UUID> = []
        public init() {}
    }

    public var conninfo: String
    /// The `file://` storage directory of the run.
    public var storageDirectory: String
    /// The owner of a seeded history (``HistorySeed``): its rows name no blob and its dead
    /// letters were not injected by this run, so the blob and dead-letter checks leave its
    /// products out. Every other check covers it too (the history is consistent).
    public var historyOwner: UUID?

    public init(conninfo: String, storageDirectory: String) {
        self.conninfo = conninfo
        self.storageDirectory = storageDirectory
    }

    public func run(injected: Injected) throws -> InvariantReport {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        func rows(_ sql: SQL) throws -> [[String]] {
            let result = try connection.query(sql)
            let width = result.columns.count
            return result.map { row in (0..<width).map { row.text(at: $0) ?? "NULL" } }
        }
        func scalar(_ sql: SQL) throws -> Int { Int(try rows(sql).first?.first ?? "0") ?? 0 }
        var report = InvariantReport()
        // A product id column outside the seeded history (every product when there is none).
        func notHistory(_ productColumn: String) -> SQL {
            guard let historyOwner else { return "true" }
            return "NOT EXISTS (SELECT 1 FROM products h WHERE h.id = \(unescaped: productColumn) AND h.owner_id = \(historyOwner))"
        }
        let runProducts: SQL = historyOwner.map { "product_id IN (SELECT id FROM products WHERE owner_id IN (SELECT id FROM owners WHERE id <> \($0)))" } ?? "true"

        // 1. Every product settled, a failed one with its reason.
        let byStatus = try rows("SELECT status::text, count(*) FROM products GROUP BY 1 ORDER BY 1")
        report.info("products: " + byStatus.map { "\($0[0]) \($0[1])" }.joined(separator: ", "))
        report.check("every product ready_for_sale or failed", try rows("""
            SELECT id, status::text FROM products WHERE status NOT IN ('ready_for_sale', 'failed')
            """).map { "product \($0[0]) is \($0[1])" }, ok: "\(try scalar("SELECT count(*) FROM products")) products settled")
        report.check("failed products carry a reason", try rows("""
            SELECT id FROM products WHERE status = 'failed' AND btrim(COALESCE(failure_reason, '')) = ''
            """).map { "product \($0[0]) failed without a reason" }, ok: "\(try scalar("SELECT count(*) FROM products WHERE status = 'failed'")) failed, each with a reason")
        let reasons = try rows("""
            SELECT left(failure_reason, 90), count(*) FROM products WHERE status = 'failed' GROUP BY 1 ORDER BY 2 DESC LIMIT 5
            """)
        for reason in reasons { report.info("failure reason ×\(reason[1]): \(reason[0])") }
        report.check("garbage-answered products failed", try injected.garbageProducts.sorted { $0.uuidString < $1.uuidString }.compactMap { id in
            let status = try rows("SELECT status::text FROM products WHERE id = \(id)").first?.first ?? "missing"
            return status == "failed" ? nil : "product \(id) got only garbage from the provider but is \(status)"
        }, ok: "\(injected.garbageProducts.count) failed as expected")

        // 2. Gallery invariants.
        report.check("exactly one primary design per ready product, at most one otherwise", try rows("""
            SELECT p.id, p.status::text, count(a.id) FROM products p
            LEFT JOIN product_assets a ON a.product_id = p.id AND a.is_primary_design
            GROUP BY p.id, p.status HAVING count(a.id) > 1 OR (p.status = 'ready_for_sale' AND count(a.id) <> 1)
            """).map { "product \($0[0]) (\($0[1])) has \($0[2]) primary designs" }, ok: "holds")
        report.check("at most one active asset per mockup role per product", try rows("""
            SELECT product_id, asset_role::text, count(*) FROM product_assets
            WHERE is_active AND asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine')
            GROUP BY 1, 2 HAVING count(*) > 1
            """).map { "product \($0[0]) has \($0[2]) active \($0[1])" }, ok: "holds")
        report.check("every active mockup comes from the current primary and selection", try rows("""
            SELECT a.id, a.asset_role::text, a.product_id FROM product_assets a
            JOIN products p ON p.id = a.product_id
            LEFT JOIN product_assets d ON d.product_id = a.product_id AND d.is_primary_design
            WHERE a.is_active AND a.asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine')
              AND (d.id IS NULL OR a.source_asset_id IS DISTINCT FROM d.id OR a.selection_version IS DISTINCT FROM p.selection_version)
            """).map { "\($0[1]) \($0[0]) of product \($0[2]) is not from the current primary/selection" },
            ok: "\(try scalar("SELECT count(*) FROM product_assets WHERE is_active AND asset_role <> 'design'")) active mockups checked")
        report.check("every ready product has its gallery (flat-lay active; mr_imagine active or its failure recorded)", try rows("""
            SELECT p.id FROM products p WHERE p.status = 'ready_for_sale' AND (
                NOT EXISTS (SELECT 1 FROM product_assets a WHERE a.product_id = p.id AND a.asset_role = 'mockup_flat_lay' AND a.is_active)
                OR NOT EXISTS (SELECT 1 FROM product_assets a WHERE a.product_id = p.id AND a.asset_role = 'mockup_mr_imagine'
                               AND (a.is_active OR (a.generation_status = 'failed' AND a.selection_version = p.selection_version))))
            """).map { "product \($0[0]) is ready_for_sale without its mockups" }, ok: "holds")
        report.info("re-selected products: \(try scalar("SELECT count(*) FROM products WHERE selection_version > 1")), regenerated: \(try scalar("SELECT count(*) FROM products WHERE iteration > 1")), mr_imagine fallbacks: \(try scalar("SELECT count(*) FROM product_assets WHERE asset_role = 'mockup_mr_imagine' AND generation_status = 'failed'"))")

        // 3. No job applied twice.
        report.check("no job succeeded twice", try rows("""
            SELECT job_id, count(*) FROM job_attempts WHERE outcome = 'succeeded' GROUP BY 1 HAVING count(*) > 1
            """).map { "job \($0[0]) has \($0[1]) succeeded attempts" },
            ok: "\(try scalar("SELECT count(*) FROM jobs WHERE state = 'succeeded'")) jobs succeeded once; \(try scalar("SELECT count(*) FROM job_attempts WHERE outcome = 'abandoned'")) attempts abandoned by crashes, \(try scalar("SELECT count(*) FROM jobs WHERE attempts > 1")) jobs ran more than once")
        report.check("one design asset per (product, iteration, candidate, variant)", try rows("""
            SELECT product_id, iteration, candidate_index, variant::text, count(*) FROM product_assets
            WHERE asset_role = 'design' GROUP BY 1, 2, 3, 4 HAVING count(*) > 1
            """).map { "product \($0[0]) iteration \($0[1]) candidate \($0[2]) \($0[3]): \($0[4]) assets" },
            ok: "\(try scalar("SELECT count(*) FROM product_assets WHERE asset_role = 'design'")) design assets")
        report.check("one mockup asset per job", try rows("""
            SELECT job_id, count(*) FROM product_assets WHERE asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine')
            GROUP BY 1 HAVING count(*) > 1
            """).map { "job \($0[0]) made \($0[1]) mockup assets" },
            ok: "\(try scalar("SELECT count(*) FROM product_assets WHERE asset_role <> 'design'")) mockup assets")
        report.check("one reservation per product iteration", try rows("""
            SELECT p.id, p.iteration, count(l.id) FROM products p
            LEFT JOIN credit_ledger l ON l.product_id = p.id AND l.kind = 'reserve'
            GROUP BY p.id, p.iteration HAVING count(l.id) <> p.iteration
            """).map { "product \($0[0]) has iteration \($0[1]) but \($0[2]) reservations" }, ok: "holds")
        report.check("each reservation settled once, as its product's outcome says", try rows("""
            SELECT r.reservation_id, p.status::text, count(s.id), string_agg(s.kind::text, ',') FROM credit_ledger r
            JOIN products p ON p.id = r.product_id
            LEFT JOIN credit_ledger s ON s.reservation_id = r.reservation_id AND s.kind IN ('consume', 'refund')
            WHERE r.kind = 'reserve'
            GROUP BY r.reservation_id, p.status
            HAVING count(s.id) <> 1
                OR (p.status = 'ready_for_sale' AND string_agg(s.kind::text, ',') <> 'consume')
                OR (p.status = 'failed' AND string_agg(s.kind::text, ',') <> 'refund')
            """).map { "reservation \($0[0]) of a \($0[1]) product: \($0[2]) settlements (\($0[3]))" },
            ok: "\(try scalar("SELECT count(*) FROM credit_ledger WHERE kind = 'consume'")) consumed, \(try scalar("SELECT count(*) FROM credit_ledger WHERE kind = 'refund'")) refunded")
        report.check("each owner's credits = grants − consumed", try rows("""
            SELECT o.name, COALESCE(a.balance, 0),
                   COALESCE(sum(l.amount) FILTER (WHERE l.kind = 'grant'), 0) - COALESCE(sum(l.amount) FILTER (WHERE l.kind = 'consume'), 0)
            FROM owners o LEFT JOIN credit_accounts a ON a.owner_id = o.id LEFT JOIN credit_ledger l ON l.owner_id = o.id
            GROUP BY o.name, a.balance
            HAVING COALESCE(a.balance, 0) <> COALESCE(sum(l.amount) FILTER (WHERE l.kind = 'grant'), 0) - COALESCE(sum(l.amount) FILTER (WHERE l.kind = 'consume'), 0)
            """).map { "owner \($0[0]): balance \($0[1]), grants − consumed \($0[2])" },
            ok: "\(try scalar("SELECT count(*) FROM owners")) owners balanced")
        report.check("blobs: every asset's blob exists with its size; no second blob of a succeeded job", try blobProblems(rows, runProducts: runProducts), ok: "holds")

        // 4. Nothing left behind.
        report.check("outbox drained", try rows("SELECT id, routing_key FROM outbox WHERE published_at IS NULL LIMIT 50")
            .map { "outbox row \($0[0]) to \($0[1]) unpublished" },
            ok: "\(try scalar("SELECT count(*) FROM outbox")) rows published")
        report.check("no job left open", try rows("""
            SELECT id, kind, state::text FROM jobs WHERE state IN ('queued', 'running', 'retrying')
            """).map { "job \($0[0]) (\($0[1])) is \($0[2])" }, ok: "holds")

        // 5. Dead letters = exactly the injected inputs.
        let dead = try rows("""
            SELECT d.id, d.queue, COALESCE(d.headers->>'x-itp-original-message-id', d.message_id, ''),
                   COALESCE(d.product_id::text, ''), COALESCE(d.job_kind, ''), left(d.reason, 160)
            FROM dead_letters d WHERE d.product_id IS NULL OR \(notHistory("d.product_id")) ORDER BY d.id
            """)
        var poisonSeen: [String: Int] = [:]
        var unexpected: [String] = []
        var garbageDead = 0
        for row in dead {
            if injected.poisonMessageIDs.contains(row[2]) || injected.uncertainPoisonMessageIDs.contains(row[2]) {
                poisonSeen[row[2], default: 0] += 1
            } else if let product = UUID(uuidString: row[3]), injected.garbageProducts.contains(product), row[4] == "design.generate" {
                garbageDead += 1
            } else {
                unexpected.append("dead letter \(row[0]) on \(row[1]) (job kind \(row[4].isEmpty ? "-" : row[4]), product \(row[3].isEmpty ? "-" : row[3])): \(row[5])")
            }
        }
        var deadProblems = unexpected
        for id in injected.poisonMessageIDs.sorted() where poisonSeen[id] != 1 {
            deadProblems.append("poison message \(id) recorded \(poisonSeen[id] ?? 0) times (expected once)")
        }
        for id in injected.uncertainPoisonMessageIDs.sorted() where (poisonSeen[id] ?? 0) > 1 {
            deadProblems.append("unconfirmed poison message \(id) recorded \(poisonSeen[id] ?? 0) times (expected at most once)")
        }
        report.check("dead letters = exactly the injected poison inputs", deadProblems,
                     ok: "\(poisonSeen.count) poison messages + \(garbageDead) garbage-answered design jobs, nothing else")
        report.check("no legitimate job dead", try rows("""
            SELECT j.id, j.kind, left(COALESCE(j.last_error, ''), 160), j.product_id FROM jobs j WHERE j.state = 'dead' AND (j.product_id IS NULL OR \(notHistory("j.product_id")))
            """).compactMap { row in
                if let product = UUID(uuidString: row[3]), injected.garbageProducts.contains(product), row[1] == "design.generate" { return nil }
                return "job \(row[0]) (\(row[1])) is dead: \(row[2])"
            }, ok: "holds")
        return report
    }

    /// Files under the storage directory against `product_assets`.
    private func blobProblems(_ rows: (SQL) throws -> [[String]], runProducts: SQL) throws -> [String] {
        var problems: [String] = []
        let assets = try rows("""
            SELECT storage_key, byte_size FROM product_assets
            WHERE generation_status = 'succeeded' AND storage_key IS NOT NULL AND \(runProducts)
            """)
        var referenced = Set<String>()
        for asset in assets {
            referenced.insert(asset[0])
            let path = storageDirectory + "/" + asset[0]
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
                problems.append("blob \(asset[0]) is missing")
                continue
            }
            if let size = attributes[.size] as? Int, "\(size)" != asset[1] {
                problems.append("blob \(asset[0]) has \(size) bytes, the asset says \(asset[1])")
            }
        }
        let succeededJobs = Set(try rows("SELECT id::text FROM jobs WHERE state = 'succeeded' AND (product_id IS NULL OR \(runProducts))").map { $0[0] })
        let enumerator = FileManager.default.enumerator(atPath: storageDirectory)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".png"), !(relative.split(separator: "/").last ?? "").hasPrefix(".tmp-"), !referenced.contains(relative) else { continue }
            // products/<p>/designs/<iteration>/<job>/<candidate>-<variant>.png or
            // products/<p>/mockups/<selection>/<kind>/<job>.png: the job is in the key.
            let parts = relative.split(separator: "/").map(String.init)
            let job = parts.count == 6 && parts[2] == "designs" ? parts[4]
                : parts.count == 6 && parts[2] == "mockups" ? String(parts[5].dropLast(4)) : ""
            if succeededJobs.contains(job) {
                problems.append("blob \(relative) of succeeded job \(job) is named by no asset (a second application?)")
            }
        }
        return problems
    }
}
