-- generated-column-change-expression (from): the expression of a stored generated column changes

CREATE TABLE public.people (
    id integer NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
    CONSTRAINT people_pkey PRIMARY KEY (id)
);
