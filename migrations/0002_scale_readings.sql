-- itp-admin scale plan: the readings it took, so that a later run can tell a lasting lull
-- from a blip (it never scales in on a single reading) and knows when the broker was last
-- seen restarted (no scale-in right after a restart, while queue depths still read 0).
CREATE TABLE scale_readings (
    id                bigserial PRIMARY KEY,
    queue             text NOT NULL,
    taken_at          timestamptz NOT NULL DEFAULT now(),
    ready             bigint NOT NULL CHECK (ready >= 0),
    in_flight         bigint NOT NULL CHECK (in_flight >= 0),
    consumers         int NOT NULL CHECK (consumers >= 0),
    instances         int NOT NULL CHECK (instances >= 0),
    job_seconds       double precision NOT NULL CHECK (job_seconds > 0),
    needed            int NOT NULL CHECK (needed >= 0),
    desired           int NOT NULL CHECK (desired >= 0),
    -- This run found the broker's restart marker missing: the broker restarted since the last run.
    broker_restarted  boolean NOT NULL DEFAULT false
);
CREATE INDEX scale_readings_queue_time ON scale_readings (queue, taken_at DESC);
CREATE INDEX scale_readings_restarts ON scale_readings (taken_at DESC) WHERE broker_restarted;
