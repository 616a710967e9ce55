-- column-type-timestamp-to-timestamptz (from): timestamp columns become timestamptz

CREATE TABLE public.t (
    id integer NOT NULL,
    created_at timestamp NOT NULL,
    deleted_at timestamp(3),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
