-- The shop's design library (issue 20): content-addressed blobs, library designs with
-- versions and variants, and products that record which library version they were made
-- from and which fields they override.
--
-- Every reference is a foreign key, so the schema knows what a blob is used by: a blob
-- row cannot be deleted while a library variant or a product asset names it, and
-- `itp-admin assets cleanup` deletes a shared blob only through `DELETE FROM blobs`,
-- which the references refuse.

-- One stored object per content: two identical blobs (same sha256) are stored once.
-- The key is whatever object first held that content (a product's design key, adopted
-- when the design was saved to the library); it is never rewritten.
CREATE TABLE blobs (
    sha256        bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
    storage_key   text NOT NULL UNIQUE,
    content_type  text NOT NULL,
    width         int NOT NULL CHECK (width > 0),
    height        int NOT NULL CHECK (height > 0),
    byte_size     bigint NOT NULL CHECK (byte_size > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT blobs_sha256_key UNIQUE (sha256, storage_key)
);

-- An asset whose blob is shared names it; its storage key is then the blob's (checked by
-- the composite key). An asset without one owns its object alone, as before this
-- migration, and only those keys stay unique among assets.
ALTER TABLE product_assets
    ADD COLUMN blob_sha256 bytea,
    ADD COLUMN provider text CHECK (provider IS NULL OR length(provider) BETWEEN 1 AND 64),
    ADD COLUMN model text CHECK (model IS NULL OR length(model) BETWEEN 1 AND 200),
    ADD CONSTRAINT assets_shared_blob FOREIGN KEY (blob_sha256, storage_key) REFERENCES blobs (sha256, storage_key),
    ADD CONSTRAINT assets_shared_blob_is_content CHECK (blob_sha256 IS NULL OR blob_sha256 = sha256);
DROP INDEX assets_storage_key;
CREATE UNIQUE INDEX assets_private_storage_key ON product_assets (storage_key)
    WHERE storage_key IS NOT NULL AND blob_sha256 IS NULL;
CREATE INDEX assets_blob ON product_assets (blob_sha256) WHERE blob_sha256 IS NOT NULL;

CREATE TABLE library_designs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id     uuid NOT NULL REFERENCES owners (id),
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    tags         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    -- Archived: hidden from the list and from new products; its blobs are kept.
    archived_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX library_designs_owner ON library_designs (owner_id, created_at DESC);

-- A version of a design: its variants' blobs and where it came from (provenance).
CREATE TABLE library_design_versions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    design_id          uuid NOT NULL REFERENCES library_designs (id),
    version            int NOT NULL CHECK (version >= 1),
    -- The variant a product made from this version selects (the source product's choice).
    selected_variant   asset_variant NOT NULL,
    source_product_id  uuid REFERENCES products (id),
    -- The source design's own asset id, for operators (no key: assets are cleaned up).
    source_asset_id    uuid,
    prompt             text NOT NULL,
    iteration          int NOT NULL CHECK (iteration >= 1),
    -- Every regeneration's feedback that led to this design, in order.
    feedback           text[] NOT NULL DEFAULT '{}',
    provider           text,
    model              text,
    -- The source product's garment, colour and placement: a product from this version
    -- that differs in one of them records it as an override.
    product_type       text NOT NULL,
    shirt_color        text NOT NULL,
    placement          jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT library_versions_number UNIQUE (design_id, version),
    CONSTRAINT library_versions_of_design UNIQUE (design_id, id)
);

CREATE TABLE library_design_variants (
    version_id   uuid NOT NULL REFERENCES library_design_versions (id),
    variant      asset_variant NOT NULL,
    blob_sha256  bytea NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (version_id, variant)
);
CREATE INDEX library_variants_blob ON library_design_variants (blob_sha256);

-- A product made from the library: the design and version (consistent, by the composite
-- key) and the fields it overrides; a product from a prompt has none of them.
ALTER TABLE products
    ADD COLUMN library_design_id uuid,
    ADD COLUMN library_version_id uuid,
    ADD COLUMN library_overrides text[] NOT NULL DEFAULT '{}'
        CHECK (library_overrides <@ ARRAY['product_type', 'shirt_color', 'placement']::text[]),
    ADD CONSTRAINT products_library_version FOREIGN KEY (library_design_id, library_version_id)
        REFERENCES library_design_versions (design_id, id),
    ADD CONSTRAINT products_library_pair CHECK ((library_design_id IS NULL) = (library_version_id IS NULL)),
    ADD CONSTRAINT products_library_overrides_need_source CHECK (
        library_design_id IS NOT NULL OR cardinality(library_overrides) = 0);
CREATE INDEX products_library_design ON products (library_design_id) WHERE library_design_id IS NOT NULL;

-- A batch request ("this design on these garments"), idempotent as a whole: its key, the
-- fingerprint of its body and the answer it gave, written in the transaction that made
-- its products, so a replay answers the same items without making any.
CREATE TABLE library_batches (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id         uuid NOT NULL REFERENCES owners (id),
    design_id        uuid NOT NULL REFERENCES library_designs (id),
    idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_sha256   bytea NOT NULL CHECK (octet_length(request_sha256) = 32),
    response         jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT library_batches_key_unique UNIQUE (owner_id, idempotency_key)
);
