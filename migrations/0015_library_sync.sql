-- Moving a live product made from the library to the design's latest version (issue 20's
-- `sync`), without taking it off sale. While a sync is under way the product names the
-- version it moves to, the staged design asset (that version's selected variant, inactive
-- until the swap) and the colour and placement it will have (the version's, except where
-- the product overrides them). Both mockups are rendered from the staged design through the
-- outbox as inactive rows; the transaction that commits the second one swaps the design and
-- both mockups and moves the product to the version. Any status change ends a sync
-- (ProductTransition clears these columns): a sync only stages on a product on sale.
ALTER TABLE products
    ADD COLUMN sync_version_id uuid,
    ADD COLUMN sync_design_asset_id uuid REFERENCES product_assets (id),
    ADD COLUMN sync_shirt_color text,
    ADD COLUMN sync_placement jsonb,
    -- Why the last sync did not complete (a mockup of the new version died); cleared by the next.
    ADD COLUMN sync_failure text CHECK (sync_failure IS NULL OR length(sync_failure) BETWEEN 1 AND 2000),
    ADD CONSTRAINT products_sync_version FOREIGN KEY (library_design_id, sync_version_id)
        REFERENCES library_design_versions (design_id, id),
    ADD CONSTRAINT products_sync_complete CHECK (
        (sync_version_id IS NULL) = (sync_design_asset_id IS NULL)
        AND (sync_version_id IS NULL) = (sync_shirt_color IS NULL));
