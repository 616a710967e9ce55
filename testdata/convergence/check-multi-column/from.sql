-- check-multi-column (from): a multi-column check constraint is added and a single-column one dropped

CREATE TABLE public.bookings (
    id integer NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    CONSTRAINT bookings_pkey PRIMARY KEY (id),
    CONSTRAINT bookings_ends_present CHECK (ends_at IS NOT NULL)
);
