-- sextant plan
-- name: pr-42-enum
-- dialect: postgres
-- from: sha256:1813757dc4940ee81dfb64ef340107113790b630dc23fed1ccbf825c1ec2f64b
-- to: sha256:d55dfad4053a8c1fb89140ca017b25d2f17eb6222e15118fe7eaf2e7699b41c6
-- status: PENDING
-- created-at: 2025-05-01T12:00:00Z
-- created-by: alice
-- pr: 42
-- commit: 0123456789abcdef
-- url: https://github.com/acme/app/pull/42

BEGIN;

-- add-enum-value public.status
ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'paid' AFTER 'new';

COMMIT;

BEGIN;

-- modify-table public.orders
COMMENT ON TABLE public.orders IS 'it''s; here';

-- add-table public.items
CREATE TABLE public.items (
  id integer,
  label text,
  CONSTRAINT items_label_check CHECK ((label <> ';'::text))
);

-- modify-column public.orders.s
ALTER TABLE public.orders ALTER COLUMN s SET DEFAULT 'paid'::public.status;

-- add-column public.orders.note
-- sextant:nolint volatile-default -- reviewed
ALTER TABLE public.orders ADD COLUMN note text DEFAULT 'a; b -- not a comment /* nor this */'::text;

UPDATE public.orders SET note = 'x; y' WHERE note IS NULL -- backfill
;

DO $body$
BEGIN
  PERFORM 1; -- not the end;
END
$body$;

COMMIT;
