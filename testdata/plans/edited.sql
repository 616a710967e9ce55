-- sextant plan
-- name: pr-42-enum
-- dialect: postgres
-- from: sha256:d9b53b0f53eec2fa1e2159ef29634d01bed8a4c299a4bcc1b4c2b5c994f9e71e
-- to: sha256:a106e4cf4e0388fa21d5204c714584304e63760682fe8f155513d7728f5f6f84
-- digest: sha256:7c585f58e39b2cb86333d07b236b62b8fa115aeefd8cf9374cb257a910b05f23
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
