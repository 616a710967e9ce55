-- column-default-expressions (to): defaults with arithmetic, casts, current_user, concatenation and functions

CREATE TABLE public.t (
    id integer NOT NULL,
    a integer DEFAULT (60 * 60 * 24),
    b numeric DEFAULT '0'::numeric,
    c text DEFAULT CURRENT_USER,
    d text DEFAULT ('v' || '1'),
    e interval DEFAULT '1 day'::interval,
    f jsonb DEFAULT '{}'::jsonb,
    g text[] DEFAULT ARRAY[]::text[],
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
