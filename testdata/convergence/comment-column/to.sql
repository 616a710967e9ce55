-- comment-column (to): column comments are added, changed and removed

CREATE TABLE public.t (
    id integer NOT NULL,
    a text,
    b text,
    c text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

COMMENT ON COLUMN public.t.a IS 'a gains a comment';
COMMENT ON COLUMN public.t.b IS 'b, second wording';
