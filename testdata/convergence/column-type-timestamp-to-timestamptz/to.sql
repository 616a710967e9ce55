-- column-type-timestamp-to-timestamptz (to): timestamp columns become timestamptz

CREATE TABLE public.t (
    id integer NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz(3),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
