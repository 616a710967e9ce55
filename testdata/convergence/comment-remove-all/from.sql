-- comment-remove-all (from): all comments are removed (the reverse adds them all)

CREATE TABLE public.t (
    id integer NOT NULL,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
CREATE INDEX t_name_idx ON public.t (name);

COMMENT ON TABLE public.t IS 'a table';
COMMENT ON COLUMN public.t.name IS 'a name';
COMMENT ON INDEX public.t_name_idx IS 'an index';
COMMENT ON CONSTRAINT t_pkey ON public.t IS 'a key';
