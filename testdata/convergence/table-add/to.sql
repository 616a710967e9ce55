-- table-add (to): a new table is created

CREATE TABLE public.authors (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT authors_pkey PRIMARY KEY (id)
);

CREATE TABLE public.books (
    id integer NOT NULL,
    title text NOT NULL,
    published date,
    pages smallint,
    CONSTRAINT books_pkey PRIMARY KEY (id)
);
