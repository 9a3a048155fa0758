public import Foundation
import Postgres

/// A shop's past, written straight into a run's schema before the fleet starts, so that a
/// benchmark measures the fleet against a database that has grown (issue 19, "cost as the
/// data grows"): finished products with every row the fleet leaves behind for one — its
/// three jobs with their attempts, four candidates in three variants, two active mockups,
/// the reserve and consume of its credit, five published outbox rows — and dead letters of
/// jobs that died before a replay made their product.
///
/// Every row belongs to one owner, `history-<run>`, and is dated within the year before the
/// run, so the run's own figures and checks can leave it out (``InvariantChecker/historyOwner``).
/// The history is consistent: it passes every invariant the soak checks, blobs aside (the
/// rows name no file). Written with `session_replication_role = replica` (no triggers and no
/// foreign-key checks while it writes: the keys are generated consistently) — but the dead
/// letters with triggers on, which keep the console's per-group counts — then analysed.
public struct HistorySeed: Sendable {
    public var products: Int
    public var deadLetters: Int
    /// Design candidates of every product (each in three variants).
    public var candidates = 4

    public init(products: Int, deadLetters: Int) {
        self.products = products
        self.deadLetters = deadLetters
    }

    /// What the seed wrote.
    public struct Written: Sendable {
        public var ownerID: UUID
        public var rows: [(table: String, count: Int)]
        public var seconds: Double
        public var databaseBytes: Int
    }

    /// Seeds the schema `conninfo` names (its `search_path`). Batches of 100,000 products,
    /// each its own transaction.
    public func write(conninfo: String, ownerName: String, progress: (String) -> Void = { _ in }) throws -> Written {
        precondition(products >= deadLetters, "every dead letter belongs to a history product")
        let started = Date()
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let ownerID = try connection.query("""
            INSERT INTO owners (name, created_at) VALUES (\(ownerName), now() - interval '366 days') RETURNING id
            """)[0].decode(UUID.self, column: "id")
        let owner = ownerID.uuidString.lowercased()
        try connection.simpleQuery("""
            INSERT INTO credit_ledger (owner_id, kind, amount, note, created_at)
                VALUES ('\(owner)', 'grant', \(max(products, 1)), 'history', now() - interval '366 days');
            INSERT INTO credit_accounts (owner_id, balance) VALUES ('\(owner)', \(max(products, 1) - products))
                ON CONFLICT (owner_id) DO UPDATE SET balance = EXCLUDED.balance
            """)
        let batch = 100_000
        var first = 1
        while first <= products {
            let last = min(first + batch - 1, products)
            try connection.simpleQuery("BEGIN; SET LOCAL session_replication_role = replica;" + Self.productRows(owner: owner, first: first, last: last, candidates: candidates) + "COMMIT")
            progress("history: products \(first)…\(last) of \(products)")
            first = last + 1
        }
        if deadLetters > 0 {
            // The dead letters themselves with triggers on: the console's per-group counts
            // (`dead_letter_groups`) are kept by one.
            try connection.simpleQuery("BEGIN; SET LOCAL session_replication_role = replica;" + Self.deadJobRows(count: deadLetters)
                                       + "SET LOCAL session_replication_role = origin;" + Self.deadLetterRows(count: deadLetters) + "COMMIT")
            progress("history: \(deadLetters) dead letters")
        }
        let tables = ["products", "jobs", "job_attempts", "product_assets", "credit_ledger", "outbox", "dead_letters"]
        // This schema's tables only (a bare ANALYZE would take every schema of the database).
        try connection.simpleQuery("ANALYZE owners, credit_accounts, " + tables.joined(separator: ", "))
        var rows: [(String, Int)] = []
        for table in tables {
            rows.append((table, try connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n")))
        }
        let size = try connection.query("SELECT pg_database_size(current_database()) AS bytes")[0].decode(Int.self, column: "bytes")
        return Written(ownerID: ownerID, rows: rows, seconds: Date().timeIntervalSince(started), databaseBytes: size)
    }

    /// Deterministic ids: the same seed makes the same keys, and rows of one product find
    /// each other without a join.
    private static func id(_ tag: String, _ expression: String) -> String {
        "md5('\(tag)-' || \(expression))::uuid"
    }

    /// The SQL expressions every statement of the seed shares, over `g`, the product's number
    /// in `generate_series`: its id, its dead flat-lay job's id, and when it was created —
    /// (g mod 525,600) minutes before the last hour, spread over the past year.
    private static let product = id("p", "g")
    private static let deadJob = id("jx", "g")
    private static let created = "(now() - interval '1 hour' - (g % 525600) * interval '1 minute')"

    static func productRows(owner: String, first: Int, last: Int, candidates: Int) -> String {
        let p = product
        let design = id("jd", "g"), flatLay = id("jf", "g"), mrImagine = id("jm", "g")
        return """
            INSERT INTO products (id, owner_id, status, prompt, product_type, shirt_color, candidate_count, iteration,
                                  selection_version, created_at, updated_at, ready_at)
            SELECT \(p), '\(owner)', 'ready_for_sale', 'history design ' || g, 'tshirt',
                   (ARRAY['black', 'white', 'navy', 'heather_grey'])[1 + g % 4], \(candidates), 1, 1,
                   \(created), \(created) + interval '90 seconds', \(created) + interval '90 seconds'
            FROM generate_series(\(first), \(last)) g;

            INSERT INTO jobs (id, kind, queue, product_id, state, payload, iteration, selection_version, attempts,
                              worker, created_at, updated_at, started_at, finished_at)
            SELECT j.id, j.kind, j.kind, \(p), 'succeeded',
                   jsonb_build_object('product_id', \(p), 'iteration', 1, 'candidates', \(candidates)),
                   1, j.selection, 1, 'history', \(created) + j.at, \(created) + j.at + interval '20 seconds',
                   \(created) + j.at + interval '1 second', \(created) + j.at + interval '20 seconds'
            FROM generate_series(\(first), \(last)) g,
                 LATERAL (VALUES (\(design), 'design.generate', NULL::int, interval '0 seconds'),
                                 (\(flatLay), 'mockup.flat_lay', 1, interval '60 seconds'),
                                 (\(mrImagine), 'mockup.mr_imagine', 1, interval '60 seconds')) j(id, kind, selection, at);

            INSERT INTO job_attempts (job_id, attempt, worker, started_at, finished_at, outcome)
            SELECT j.id, 1, 'history', \(created) + j.at + interval '1 second', \(created) + j.at + interval '20 seconds', 'succeeded'
            FROM generate_series(\(first), \(last)) g,
                 LATERAL (VALUES (\(design), interval '0 seconds'), (\(flatLay), interval '60 seconds'),
                                 (\(mrImagine), interval '60 seconds')) j(id, at);

            INSERT INTO product_assets (id, product_id, asset_role, variant, iteration, candidate_index, is_primary_design,
                                        is_active, job_id, storage_key, content_type, width, height, byte_size, sha256,
                                        created_at, updated_at)
            SELECT \(id("a", "g || '-' || c || '-' || v")), \(p), 'design', v::asset_variant, 1, c,
                   c = 0 AND v = 'original', c = 0 AND v = 'original', \(design),
                   'history/' || g || '/designs/1/' || c || '-' || v || '.png', 'image/png', 1024, 1024, 900000 + c,
                   sha256(convert_to(g || '-' || c || '-' || v, 'UTF8')), \(created) + interval '20 seconds', \(created) + interval '20 seconds'
            FROM generate_series(\(first), \(last)) g, generate_series(0, \(candidates - 1)) c,
                 unnest(ARRAY['original', 'dtf', 'background_removed']) v;

            INSERT INTO product_assets (id, product_id, asset_role, is_active, source_asset_id, selection_version, job_id,
                                        template_info, storage_key, content_type, width, height, byte_size, sha256,
                                        created_at, updated_at)
            SELECT \(id("m", "g || '-' || m.role")), \(p), m.role::asset_role, true, \(id("a", "g || '-0-original'")), 1, m.job,
                   jsonb_build_object('template_id', 'tshirt-' || m.role, 'template_version', 1),
                   'history/' || g || '/mockups/1/' || m.role || '.png', 'image/png', 1600, 1600, 700000,
                   sha256(convert_to(g || '-' || m.role, 'UTF8')), \(created) + interval '80 seconds', \(created) + interval '80 seconds'
            FROM generate_series(\(first), \(last)) g,
                 LATERAL (VALUES ('mockup_flat_lay', \(flatLay)), ('mockup_mr_imagine', \(mrImagine))) m(role, job);

            INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount, note, created_at)
            SELECT '\(owner)', \(p), \(id("r", "g")), l.kind::ledger_entry_kind, 1, 'history', \(created) + l.at
            FROM generate_series(\(first), \(last)) g,
                 LATERAL (VALUES ('reserve', interval '0 seconds'), ('consume', interval '90 seconds')) l(kind, at);

            INSERT INTO outbox (exchange, routing_key, body, job_id, created_at, available_at, published_at, publish_attempts)
            SELECT o.exchange, o.routing_key,
                   convert_to(jsonb_build_object('product_id', \(p), 'job_id', o.job, 'history', g)::text, 'UTF8'),
                   o.job, \(created) + o.at, \(created) + o.at, \(created) + o.at + interval '5 milliseconds', 1
            FROM generate_series(\(first), \(last)) g,
                 LATERAL (VALUES ('itp.jobs', 'design.generate', \(design), interval '0 seconds'),
                                 ('itp.jobs', 'mockup.flat_lay', \(flatLay), interval '60 seconds'),
                                 ('itp.jobs', 'mockup.mr_imagine', \(mrImagine), interval '60 seconds'),
                                 ('itp.events', 'mockup.completed', NULL::uuid, interval '80 seconds'),
                                 ('itp.events', 'mockup.completed', NULL::uuid, interval '81 seconds')) o(exchange, routing_key, job, at);

            """
    }

    /// Dead letters of flat-lay jobs that died (the first `count` history products each had
    /// one, replayed as the job that made its mockup): a dead job with five failed attempts
    /// and its dead letter, spread over the error classes and stages the console filters.
    static func deadJobRows(count: Int) -> String {
        let p = product, job = deadJob
        return """
            INSERT INTO jobs (id, kind, queue, product_id, state, payload, iteration, selection_version, attempts,
                              last_error, error_class, failure_stage, worker, created_at, updated_at, started_at, finished_at)
            SELECT \(job), 'mockup.flat_lay', 'mockup.flat_lay', \(p), 'dead', jsonb_build_object('product_id', \(p)), 1, 1, 5,
                   'history failure ' || (g % 50), (ARRAY['transient', 'permanent'])[1 + g % 2]::error_class,
                   (ARRAY['render', 'storage', 'decode'])[1 + g % 3], 'history',
                   \(created) + interval '30 seconds', \(created) + interval '50 seconds',
                   \(created) + interval '31 seconds', \(created) + interval '50 seconds'
            FROM generate_series(1, \(count)) g;

            INSERT INTO job_attempts (job_id, attempt, worker, started_at, finished_at, outcome, error_class, error_message, failure_stage)
            SELECT \(job), a, 'history', \(created) + interval '31 seconds' + a * interval '3 seconds',
                   \(created) + interval '32 seconds' + a * interval '3 seconds', 'failed',
                   (ARRAY['transient', 'permanent'])[1 + g % 2]::error_class, 'history failure ' || (g % 50),
                   (ARRAY['render', 'storage', 'decode'])[1 + g % 3]
            FROM generate_series(1, \(count)) g, generate_series(1, 5) a;

            """
    }

    static func deadLetterRows(count: Int) -> String {
        let p = product, job = deadJob
        return """
            INSERT INTO dead_letters (dedupe_key, queue, original_queue, message_id, job_id, job_kind, product_id, reason,
                                      error_class, failure_stage, headers, body, dead_lettered_at, recorded_at)
            SELECT 'history-' || g, 'mockup.flat_lay.dead', 'mockup.flat_lay', \(job)::text, \(job), 'mockup.flat_lay', \(p),
                   'history failure ' || (g % 50), (ARRAY['transient', 'permanent'])[1 + g % 2]::error_class,
                   (ARRAY['render', 'storage', 'decode'])[1 + g % 3], '{}'::jsonb,
                   convert_to(jsonb_build_object('job_id', \(job), 'product_id', \(p))::text, 'UTF8'),
                   \(created) + interval '50 seconds', \(created) + interval '50 seconds'
            FROM generate_series(1, \(count)) g;

            """
    }
}
