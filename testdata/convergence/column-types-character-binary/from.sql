-- column-types-character-binary (from): text, varchar, char, bytea and boolean columns

CREATE TABLE public.docs (
    id integer NOT NULL,
    CONSTRAINT docs_pkey PRIMARY KEY (id)
);
