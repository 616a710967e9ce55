-- column-default-change (to): defaults change value or expression

CREATE TABLE public.t (
    id integer NOT NULL,
    qty integer DEFAULT 10,
    status text DEFAULT 'pending',
    expires_at timestamptz DEFAULT (now() + '30 days'::interval),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
