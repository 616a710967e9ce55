-- comment-fk-constraint (from): a foreign key constraint and a unique constraint gain comments

CREATE TABLE public.a (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT a_pkey PRIMARY KEY (id),
    CONSTRAINT a_code_key UNIQUE (code)
);

CREATE TABLE public.b (
    id integer NOT NULL,
    a_id integer NOT NULL,
    CONSTRAINT b_pkey PRIMARY KEY (id),
    CONSTRAINT b_a_fkey FOREIGN KEY (a_id) REFERENCES public.a (id)
);
