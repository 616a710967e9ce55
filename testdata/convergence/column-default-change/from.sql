-- column-default-change (from): defaults change value or expression

CREATE TABLE public.t (
    id integer NOT NULL,
    qty integer DEFAULT 1,
    status text DEFAULT 'new',
    expires_at timestamptz DEFAULT now(),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
