-- ITP fleet schema, version 1 (DESIGN.md §4).
--
-- The invariants the fleet depends on are enforced here, by the schema, so that a bug
-- or a redelivered message in any process cannot break them: partial unique indexes
-- for "at most one", checks for "only together", a trigger-maintained credit balance
-- that cannot go negative, and an append-only ledger.

-- Product lifecycle. Legal transitions are decided in one place in code (ProductStatus
-- state machine); the enum only fixes the vocabulary.
CREATE TYPE product_status AS ENUM (
    'draft',                -- created by intake, design job enqueued
    'generating_designs',   -- a design job is running for the current iteration
    'awaiting_selection',   -- candidates stored, waiting for the shopper's choice
    'generating_mockups',   -- a design is selected, mockup jobs are running
    'ready_for_sale',       -- gallery complete, credits consumed
    'failed',               -- a job died; credits refunded; failure_reason says why
    'cancelled'             -- cancelled on purpose; credits refunded
);

CREATE TYPE asset_role AS ENUM ('design', 'mockup_flat_lay', 'mockup_mr_imagine', 'auxiliary');

CREATE TYPE asset_variant AS ENUM ('original', 'dtf', 'background_removed');

CREATE TYPE generation_status AS ENUM (
    'succeeded',   -- the blob is stored and described by the row
    'failed'       -- generation failed terminally; error_status/error_message say why
);

-- Job states, one closed set (River/Oban style). "cancelled" is on purpose; "dead" is
-- retries exhausted, permanent or poison; "superseded" is stale work for an older selection.
CREATE TYPE job_state AS ENUM (
    'queued',      -- enqueued through the outbox, not yet claimed
    'running',     -- claimed by a worker (attempts already counted)
    'retrying',    -- failed with a retryable error, waiting in a delay queue
    'succeeded',   -- results committed
    'dead',        -- dead-lettered: permanent error, attempts exhausted, malformed or poison
    'cancelled',   -- cancelled on purpose (product cancelled, operator)
    'superseded'   -- its selection_version is no longer the product's current one
);

CREATE TYPE error_class AS ENUM ('rate_limited', 'transient', 'permanent');

CREATE TYPE ledger_entry_kind AS ENUM ('grant', 'reserve', 'consume', 'refund');

CREATE TABLE owners (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as sha256 of the full secret; the prefix identifies a key to humans
-- and is the lookup key.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id      uuid NOT NULL REFERENCES owners (id),
    prefix        text NOT NULL UNIQUE CHECK (length(prefix) BETWEEN 8 AND 64),
    secret_sha256 bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
    label         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_owner ON api_keys (owner_id);

CREATE TABLE products (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id            uuid NOT NULL REFERENCES owners (id),
    status              product_status NOT NULL DEFAULT 'draft',
    prompt              text NOT NULL CHECK (length(btrim(prompt)) BETWEEN 1 AND 2000),
    product_type        text NOT NULL CHECK (product_type ~ '^[a-z0-9_]{1,64}$'),
    shirt_color         text NOT NULL CHECK (shirt_color ~ '^[a-z0-9_]{1,64}$'),
    candidate_count     int NOT NULL DEFAULT 4 CHECK (candidate_count BETWEEN 1 AND 16),
    iteration           int NOT NULL DEFAULT 1 CHECK (iteration >= 1),
    selection_version   int NOT NULL DEFAULT 0 CHECK (selection_version >= 0),
    failure_reason      text,
    idempotency_key     text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_sha256      bytea CHECK (octet_length(request_sha256) = 32),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    ready_at            timestamptz,
    CONSTRAINT products_failed_has_reason CHECK (status <> 'failed' OR failure_reason IS NOT NULL),
    CONSTRAINT products_idempotency_has_fingerprint CHECK ((idempotency_key IS NULL) = (request_sha256 IS NULL)),
    CONSTRAINT products_idempotency_key_unique UNIQUE (owner_id, idempotency_key)
);
CREATE INDEX products_owner_created ON products (owner_id, created_at DESC);
CREATE INDEX products_unsettled ON products (status, updated_at)
    WHERE status IN ('draft', 'generating_designs', 'generating_mockups');

-- Every unit of work. Rows are created in the same transaction as the outbox row that
-- carries the job's message.
CREATE TABLE jobs (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind               text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
    queue              text NOT NULL,
    product_id         uuid REFERENCES products (id),
    state              job_state NOT NULL DEFAULT 'queued',
    payload            jsonb NOT NULL,
    schema_version     int NOT NULL DEFAULT 1 CHECK (schema_version >= 1),
    iteration          int,
    selection_version  int,
    -- Counted attempts; a rate-limited wait gives its attempt back (rate_limited_waits instead).
    attempts           int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts       int NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    rate_limited_waits int NOT NULL DEFAULT 0 CHECK (rate_limited_waits >= 0),
    next_attempt_at    timestamptz,
    last_error         text,
    error_class        error_class,
    failure_stage      text,
    cost_units         bigint NOT NULL DEFAULT 0 CHECK (cost_units >= 0),
    worker             text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    started_at         timestamptz,
    finished_at        timestamptz,
    CONSTRAINT jobs_finished_when_terminal CHECK (
        (state IN ('succeeded', 'dead', 'cancelled', 'superseded')) = (finished_at IS NOT NULL)),
    CONSTRAINT jobs_error_has_class CHECK (last_error IS NULL OR error_class IS NOT NULL OR state = 'dead')
);
CREATE INDEX jobs_product ON jobs (product_id, created_at);
CREATE INDEX jobs_open_by_queue ON jobs (queue, created_at) WHERE state IN ('queued', 'running', 'retrying');

-- One row per claim: every attempt's outcome and error is kept, not only the last. An
-- attempt that a crash interrupted is closed as 'abandoned' by the next claim.
CREATE TABLE job_attempts (
    id             bigserial PRIMARY KEY,
    job_id         uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt        int NOT NULL CHECK (attempt >= 1),
    worker         text,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    outcome        text CHECK (outcome IN ('succeeded', 'failed', 'rate_limited', 'superseded', 'cancelled', 'abandoned')),
    error_class    error_class,
    error_message  text,
    failure_stage  text,
    CONSTRAINT job_attempts_finished_has_outcome CHECK ((finished_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX job_attempts_job ON job_attempts (job_id, id);

CREATE TABLE product_assets (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id         uuid NOT NULL REFERENCES products (id),
    asset_role         asset_role NOT NULL,
    variant            asset_variant,
    iteration          int CHECK (iteration >= 1),
    candidate_index    int CHECK (candidate_index >= 0),
    is_primary_design  boolean NOT NULL DEFAULT false,
    is_active          boolean NOT NULL DEFAULT false,
    pending_selection  boolean NOT NULL DEFAULT false,
    archived_at        timestamptz,
    generation_status  generation_status NOT NULL DEFAULT 'succeeded',
    error_status       text,
    error_message      text,
    template_info      jsonb,
    source_asset_id    uuid REFERENCES product_assets (id),
    selection_version  int CHECK (selection_version >= 1),
    job_id             uuid REFERENCES jobs (id),
    storage_key        text,
    content_type       text,
    width              int CHECK (width > 0),
    height             int CHECK (height > 0),
    byte_size          bigint CHECK (byte_size > 0),
    sha256             bytea CHECK (octet_length(sha256) = 32),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- A primary design is an active design.
    CONSTRAINT assets_primary_is_active_design CHECK (
        NOT is_primary_design OR (is_active AND asset_role = 'design')),
    -- Designs are active only as the primary: every other candidate is inactive.
    CONSTRAINT assets_design_active_only_as_primary CHECK (
        asset_role <> 'design' OR is_active = is_primary_design),
    -- Variants belong to designs, and every design has one, with its iteration and candidate.
    CONSTRAINT assets_design_has_variant CHECK ((asset_role = 'design') = (variant IS NOT NULL)),
    CONSTRAINT assets_design_has_candidate CHECK (
        asset_role <> 'design' OR (iteration IS NOT NULL AND candidate_index IS NOT NULL)),
    -- A mockup says which design and which selection it was made from.
    CONSTRAINT assets_mockup_has_source CHECK (
        asset_role NOT IN ('mockup_flat_lay', 'mockup_mr_imagine')
        OR (source_asset_id IS NOT NULL AND selection_version IS NOT NULL)),
    -- A stored asset is fully described; a failed one carries its error.
    CONSTRAINT assets_succeeded_is_described CHECK (
        generation_status <> 'succeeded'
        OR (storage_key IS NOT NULL AND content_type IS NOT NULL AND width IS NOT NULL
            AND height IS NOT NULL AND byte_size IS NOT NULL AND sha256 IS NOT NULL)),
    CONSTRAINT assets_failed_has_error CHECK (
        generation_status <> 'failed' OR (error_status IS NOT NULL AND error_message IS NOT NULL)),
    CONSTRAINT assets_error_pairs CHECK ((error_status IS NULL) = (error_message IS NULL)),
    -- Only a good, current asset can be shown.
    CONSTRAINT assets_active_is_usable CHECK (
        NOT is_active OR (generation_status = 'succeeded' AND archived_at IS NULL AND NOT pending_selection))
);

-- At most one primary design per product.
CREATE UNIQUE INDEX assets_one_primary_design ON product_assets (product_id) WHERE is_primary_design;
-- At most one active asset per (product, mockup role).
CREATE UNIQUE INDEX assets_one_active_mockup ON product_assets (product_id, asset_role)
    WHERE is_active AND asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine');
-- Each job creates at most one asset per (candidate, variant): a redelivered job collides here.
CREATE UNIQUE INDEX assets_one_per_job_candidate_variant
    ON product_assets (job_id, candidate_index, variant) NULLS NOT DISTINCT
    WHERE job_id IS NOT NULL;
CREATE UNIQUE INDEX assets_storage_key ON product_assets (storage_key) WHERE storage_key IS NOT NULL;
CREATE INDEX assets_product_role ON product_assets (product_id, asset_role);

-- Transactional outbox: rows are written in the same transaction as the change they
-- announce; a relay publishes them with confirms and marks them published.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    message_id       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    exchange         text NOT NULL,
    routing_key      text NOT NULL,
    content_type     text NOT NULL DEFAULT 'application/json',
    headers          jsonb NOT NULL DEFAULT '{}'::jsonb,
    body             bytea NOT NULL,
    job_id           uuid REFERENCES jobs (id),
    -- Per-message TTL (ms) for retries parked in a delay queue, so jitter survives the tiers.
    expiration_ms    bigint CHECK (expiration_ms > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    available_at     timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    publish_attempts int NOT NULL DEFAULT 0 CHECK (publish_attempts >= 0),
    last_error       text,
    -- A relay leases the rows it is publishing; a relay that dies lets the lease lapse and
    -- another relay publishes them (at-least-once; consumers are idempotent by job id).
    claimed_by       text,
    claimed_until    timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Wake relays as soon as a row commits (NOTIFY is delivered at commit). The payload is
-- the schema, so relays of one database but different schemas ignore each other.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('itp_outbox', current_schema());
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Dead letters are data: every message that reached a `<queue>.dead` queue, recorded once.
CREATE TABLE dead_letters (
    id                bigserial PRIMARY KEY,
    dedupe_key        text NOT NULL UNIQUE,
    queue             text NOT NULL,
    original_queue    text,
    message_id        text,
    job_id            uuid REFERENCES jobs (id),
    job_kind          text,
    product_id        uuid REFERENCES products (id),
    reason            text NOT NULL,
    error_class       error_class,
    failure_stage     text,
    headers           jsonb NOT NULL DEFAULT '{}'::jsonb,
    body              bytea NOT NULL,
    dead_lettered_at  timestamptz NOT NULL DEFAULT now(),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    replay_count      int NOT NULL DEFAULT 0 CHECK (replay_count >= 0),
    last_replayed_at  timestamptz
);
CREATE INDEX dead_letters_queue_time ON dead_letters (queue, dead_lettered_at);
CREATE INDEX dead_letters_product ON dead_letters (product_id) WHERE product_id IS NOT NULL;

-- Credits. The balance is maintained by a trigger from the ledger, and can never go
-- negative: a reservation beyond the balance fails with check_violation (23514).
CREATE TABLE credit_accounts (
    owner_id    uuid PRIMARY KEY REFERENCES owners (id),
    balance     bigint NOT NULL DEFAULT 0 CONSTRAINT credit_balance_not_negative CHECK (balance >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Append-only. A reservation groups one `reserve` and at most one settlement (`consume`
-- or `refund`) of the same amount: a reservation cannot be consumed twice, refunded
-- twice, or both.
CREATE TABLE credit_ledger (
    id              bigserial PRIMARY KEY,
    owner_id        uuid NOT NULL REFERENCES owners (id),
    product_id      uuid REFERENCES products (id),
    reservation_id  uuid,
    kind            ledger_entry_kind NOT NULL,
    amount          bigint NOT NULL CHECK (amount > 0),
    note            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_reservation_presence CHECK ((kind = 'grant') = (reservation_id IS NULL)),
    CONSTRAINT ledger_reservation_has_product CHECK (kind = 'grant' OR product_id IS NOT NULL)
);
CREATE UNIQUE INDEX ledger_one_reserve ON credit_ledger (reservation_id) WHERE kind = 'reserve';
CREATE UNIQUE INDEX ledger_one_settlement ON credit_ledger (reservation_id) WHERE kind IN ('consume', 'refund');
CREATE INDEX ledger_owner ON credit_ledger (owner_id, created_at);
CREATE INDEX ledger_product ON credit_ledger (product_id) WHERE product_id IS NOT NULL;

CREATE FUNCTION credit_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    reserved credit_ledger%ROWTYPE;
BEGIN
    IF NEW.kind IN ('consume', 'refund') THEN
        SELECT * INTO reserved FROM credit_ledger
         WHERE reservation_id = NEW.reservation_id AND kind = 'reserve';
        IF NOT FOUND THEN
            RAISE EXCEPTION 'credit % without a reservation %', NEW.kind, NEW.reservation_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF reserved.amount <> NEW.amount OR reserved.owner_id <> NEW.owner_id
           OR reserved.product_id IS DISTINCT FROM NEW.product_id THEN
            RAISE EXCEPTION 'credit % does not match reservation %', NEW.kind, NEW.reservation_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    INSERT INTO credit_accounts (owner_id) VALUES (NEW.owner_id) ON CONFLICT (owner_id) DO NOTHING;
    UPDATE credit_accounts
       SET balance = balance + CASE NEW.kind
                                   WHEN 'grant' THEN NEW.amount
                                   WHEN 'reserve' THEN -NEW.amount
                                   WHEN 'refund' THEN NEW.amount
                                   ELSE 0
                               END,
           updated_at = now()
     WHERE owner_id = NEW.owner_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER credit_ledger_apply BEFORE INSERT ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_apply();

CREATE FUNCTION credit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();

-- Effects of the `canary` job kind: the runtime's own end-to-end probe, used by tests,
-- benchmarks and operators (no image work). One row per job: a job applied twice collides.
CREATE TABLE canary_results (
    job_id      uuid PRIMARY KEY REFERENCES jobs (id),
    attempt     int NOT NULL,
    echo        text,
    worker      text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
