-- check-multi-column (to): a multi-column check constraint is added and a single-column one dropped

CREATE TABLE public.bookings (
    id integer NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    CONSTRAINT bookings_pkey PRIMARY KEY (id),
    CONSTRAINT bookings_order CHECK (ends_at IS NULL OR ends_at > starts_at)
);
