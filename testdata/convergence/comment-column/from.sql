-- comment-column (from): column comments are added, changed and removed

CREATE TABLE public.t (
    id integer NOT NULL,
    a text,
    b text,
    c text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

COMMENT ON COLUMN public.t.b IS 'b, first wording';
COMMENT ON COLUMN public.t.c IS 'c will lose its comment';
