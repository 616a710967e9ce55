-- column-default-now (to): timestamp defaults now(), CURRENT_TIMESTAMP, CURRENT_DATE and clock_timestamp()

CREATE TABLE public.t (
    id integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
    day date DEFAULT CURRENT_DATE,
    precise timestamptz DEFAULT clock_timestamp(),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
