-- column-default-now (from): timestamp defaults now(), CURRENT_TIMESTAMP, CURRENT_DATE and clock_timestamp()

CREATE TABLE public.t (
    id integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamp,
    day date,
    precise timestamptz,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
