-- One budget per image-provider account, shared by every design worker of the fleet on
-- whatever machine: a 429's Retry-After pauses all of them (`paused_until`), and calls are
-- spaced so the fleet never exceeds the configured rate (`next_call_at`: the earliest the
-- next call may start; a generic cell rate algorithm without burst). Times are the
-- database's clock, the one clock every worker shares.
CREATE TABLE provider_budgets (
    -- The provider's name and a digest of its API key ("openai-images:3f1c…"); never the key.
    budget_key    text PRIMARY KEY CHECK (length(budget_key) BETWEEN 1 AND 200),
    next_call_at  timestamptz NOT NULL DEFAULT '-infinity',
    paused_until  timestamptz NOT NULL DEFAULT '-infinity',
    -- The last 429 that paused the budget (for `itp-admin` and the operator).
    last_pause_at timestamptz,
    pauses        bigint NOT NULL DEFAULT 0 CHECK (pauses >= 0)
);
