-- The intake keeps recent galleries and authenticated API keys in memory (so a storefront's
-- repeated gallery reads need no database round trip) and drops an entry as soon as the
-- database says it changed. The schema, not the code paths that write, knows when that is:
-- every change of a product row or of one of its assets NOTIFYs `itp_product` with the
-- product id (what ProductTransition already sends for a status change; Postgres folds
-- equal notifications of one transaction into one), and every change of an API key
-- NOTIFYs `itp_api_key` with its prefix.
CREATE FUNCTION product_row_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('itp_product', COALESCE(NEW.id, OLD.id)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER product_row_notify AFTER UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION product_row_notify();

CREATE FUNCTION product_asset_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('itp_product', OLD.product_id::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('itp_product', NEW.product_id::text);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER product_asset_notify AFTER INSERT OR UPDATE OR DELETE ON product_assets
    FOR EACH ROW EXECUTE FUNCTION product_asset_notify();

CREATE FUNCTION api_key_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('itp_api_key', OLD.prefix);
    RETURN NULL;
END
$$;
-- `last_used_at` is the intake's own bookkeeping, refreshed once a minute: not a change.
CREATE TRIGGER api_key_notify AFTER UPDATE OF owner_id, prefix, secret_sha256, revoked_at OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION api_key_notify();
