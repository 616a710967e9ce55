-- comment-remove-all (to): all comments are removed (the reverse adds them all)

CREATE TABLE public.t (
    id integer NOT NULL,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
CREATE INDEX t_name_idx ON public.t (name);
