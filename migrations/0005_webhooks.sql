-- Storefront webhooks (issue 17, DESIGN.md §10). A shop registers endpoints; every product
-- transition a shop can subscribe to writes one webhook_events row and, per subscribed
-- endpoint, one webhook_deliveries row plus its job on `webhook.deliver`, all in the
-- transaction of the transition (outbox). Each HTTP attempt of a delivery is recorded.

CREATE TABLE webhook_endpoints (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id     uuid NOT NULL REFERENCES owners (id),
    url          text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048 AND url ~ '^https?://'),
    event_types  text[] NOT NULL CHECK (cardinality(event_types) >= 1),
    -- The signing secret. It must be kept in clear: HMAC needs it to sign every delivery
    -- (the API shows it once, at creation and at rotation).
    secret       text NOT NULL CHECK (length(secret) >= 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    rotated_at   timestamptz,
    -- Deleted endpoints are kept for their delivery history; nothing is sent to them.
    deleted_at   timestamptz
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_id) WHERE deleted_at IS NULL;

-- The event, immutable once written: its id is what a receiver de-duplicates on.
CREATE TABLE webhook_events (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id     uuid NOT NULL REFERENCES owners (id),
    product_id   uuid NOT NULL REFERENCES products (id),
    type         text NOT NULL CHECK (type IN ('product.awaiting_selection', 'product.ready_for_sale',
                                                'product.failed', 'product.cancelled')),
    -- The event's data as of the transition (status, selection, gallery asset ids, public reason).
    data         jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_product ON webhook_events (product_id, created_at);

CREATE TABLE webhook_deliveries (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id      uuid NOT NULL REFERENCES webhook_events (id),
    endpoint_id   uuid NOT NULL REFERENCES webhook_endpoints (id),
    -- The job on webhook.deliver that sends it (its state, attempts and dead letter).
    job_id        uuid NOT NULL UNIQUE REFERENCES jobs (id),
    -- Set on a delivery the shop asked for again (POST …/redeliver).
    redelivery_of uuid REFERENCES webhook_deliveries (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz
);
-- One first delivery per event and endpoint, however often the transition is replayed.
CREATE UNIQUE INDEX webhook_deliveries_first ON webhook_deliveries (event_id, endpoint_id) WHERE redelivery_of IS NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

-- Every HTTP attempt: what the receiver answered (or why nothing was), and how long it took.
CREATE TABLE webhook_attempts (
    id            bigserial PRIMARY KEY,
    delivery_id   uuid NOT NULL REFERENCES webhook_deliveries (id),
    attempt       int NOT NULL CHECK (attempt >= 1),
    status_code   int CHECK (status_code BETWEEN 100 AND 599),
    -- A public reason when there was no HTTP answer: timeout, connection_failed,
    -- destination_refused, response_too_large.
    error         text,
    latency_ms    int NOT NULL CHECK (latency_ms >= 0),
    started_at    timestamptz NOT NULL,
    CONSTRAINT webhook_attempts_outcome CHECK ((status_code IS NULL) <> (error IS NULL))
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
