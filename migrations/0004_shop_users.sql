-- People who sign in to the builder (issue 15). A shop user belongs to one shop (owner) and
-- acts only on that shop's products, like the shop's API keys. The password is stored as a
-- scrypt hash in its self-describing text form (never a plain hash); `itp-admin users create`
-- prints a first password once.
CREATE TABLE shop_users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id       uuid NOT NULL REFERENCES owners (id),
    email          text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254
                                        AND email ~ '^[^@\s]+@[^@\s]+$'),
    password_hash  text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz,
    CONSTRAINT shop_users_email_unique UNIQUE (email)
);
CREATE INDEX shop_users_owner ON shop_users (owner_id);

-- A signed-in browser. The cookie carries a random token; only its sha256 is stored, so the
-- table cannot be replayed as cookies. Every state-changing form carries `csrf_token`.
CREATE TABLE shop_sessions (
    token_sha256  bytea PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
    user_id       uuid NOT NULL REFERENCES shop_users (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL CHECK (length(csrf_token) >= 32),
    address       text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    CONSTRAINT shop_sessions_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX shop_sessions_user ON shop_sessions (user_id);
CREATE INDEX shop_sessions_expiry ON shop_sessions (expires_at);

-- Failed sign-ins, counted per account and per address over a window by every intake instance
-- (a sign-in surface for operators uses the same table with its own realm).
CREATE TABLE sign_in_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    realm      text NOT NULL CHECK (realm ~ '^[a-z_]{1,32}$'),
    login      text NOT NULL CHECK (length(login) <= 254),
    address    text NOT NULL CHECK (length(address) <= 64),
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_login ON sign_in_failures (realm, login, failed_at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (realm, address, failed_at);

-- The shop's product list pages newest first with a cursor, optionally by status.
CREATE INDEX products_owner_created_id ON products (owner_id, created_at DESC, id DESC);
DROP INDEX products_owner_created;
CREATE INDEX products_owner_status_created ON products (owner_id, status, created_at DESC, id DESC);
