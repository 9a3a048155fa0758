-- The operator console (issue 16). Operators are not shop users: their own accounts and
-- sessions (a shop user or a shop API key can never hold an operator session); failed
-- sign-ins share `sign_in_failures`, told apart by realm 'operator'. A read-only operator
-- sees every page and may not act.
CREATE TABLE operators (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
    password_hash  text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
    read_only      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz,
    CONSTRAINT operators_name_unique UNIQUE (name)
);

CREATE TABLE operator_sessions (
    token_sha256  bytea PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
    operator_id   uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL CHECK (length(csrf_token) >= 32),
    address       text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    CONSTRAINT operator_sessions_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);
CREATE INDEX operator_sessions_expiry ON operator_sessions (expires_at);

-- Every mutating operator action, from the console or itp-admin: who, where, what was
-- selected (ids or the filter), the dry-run counts shown before it, and the result. A bulk
-- action's counters move in the same transaction as each item's effect, so the row never
-- claims more or less than was done. Never updated by anything but the action it records.
CREATE TABLE operator_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
    surface      text NOT NULL CHECK (surface IN ('console', 'cli')),
    action       text NOT NULL CHECK (action ~ '^[a-z_.]{1,64}$'),
    selection    jsonb NOT NULL DEFAULT '{}'::jsonb,
    dry_run      jsonb,
    state        text NOT NULL DEFAULT 'done' CHECK (state IN ('running', 'done', 'failed')),
    total        int NOT NULL DEFAULT 0 CHECK (total >= 0),
    succeeded    int NOT NULL DEFAULT 0 CHECK (succeeded >= 0),
    skipped      int NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    refused      int NOT NULL DEFAULT 0 CHECK (refused >= 0),
    rate         double precision,
    result       text,
    finished_at  timestamptz
);
CREATE INDEX operator_audit_at ON operator_audit (at DESC, id DESC);

-- One row per item of a bulk action, written in the item's own transaction.
CREATE TABLE operator_audit_items (
    audit_id        bigint NOT NULL REFERENCES operator_audit (id) ON DELETE CASCADE,
    position        int NOT NULL CHECK (position >= 0),
    dead_letter_id  bigint,
    job_id          uuid,
    result          text NOT NULL,
    detail          text NOT NULL DEFAULT '',
    at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (audit_id, position)
);

-- The dead-letter list: a time range (and the overview's hourly counts) by time; a replay's
-- targets and a job's dead letters by job. The other filters are one scan of the table's own
-- columns (benchmarks/console/run), so they get no index of their own.
CREATE INDEX dead_letters_time ON dead_letters (dead_lettered_at DESC, id DESC);
CREATE INDEX dead_letters_job ON dead_letters (job_id);

-- The console's 24-hour chart counts finished jobs per hour.
CREATE INDEX jobs_finished_at ON jobs (finished_at) WHERE finished_at IS NOT NULL;
