-- column-types-character-binary (to): text, varchar, char, bytea and boolean columns

CREATE TABLE public.docs (
    id integer NOT NULL,
    c_text text,
    c_varchar varchar(120),
    c_varchar_unbounded varchar,
    c_char char(3),
    c_char1 character,
    c_bytea bytea,
    c_bool boolean,
    CONSTRAINT docs_pkey PRIMARY KEY (id)
);
