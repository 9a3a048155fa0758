-- Placements (DESIGN.md §11): the product's print placement in millimetres, chosen at
-- creation; NULL for products made before placements (or of a type whose catalogue
-- declares none), which keep the fixed print size and centred mockups.
ALTER TABLE products ADD COLUMN placement jsonb
    CHECK (placement IS NULL OR (jsonb_typeof(placement) = 'object'
                                 AND placement->>'side' IN ('front', 'back')
                                 AND (placement->>'width_mm')::numeric > 0
                                 AND (placement->>'height_mm')::numeric > 0));

-- Print quality of each design candidate at the product's placement: the source pixels
-- per printed inch (all three variants of a candidate carry the same figure), and a
-- warning code when that is below what prints sharply (150 DPI).
ALTER TABLE product_assets
    ADD COLUMN effective_dpi int CHECK (effective_dpi > 0),
    ADD COLUMN print_quality text CHECK (print_quality IN ('low_resolution')),
    ADD CONSTRAINT assets_print_quality_for_designs CHECK (
        (effective_dpi IS NULL AND print_quality IS NULL) OR asset_role = 'design');
