-- view-drop-with-table (from): two tables, a view joining them and a view over that view

CREATE TABLE public.authors (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT authors_pkey PRIMARY KEY (id)
);

CREATE TABLE public.books (
    id integer NOT NULL,
    author_id integer NOT NULL,
    title text NOT NULL,
    CONSTRAINT books_pkey PRIMARY KEY (id),
    CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id)
);

CREATE VIEW public.book_list AS
    SELECT b.title, a.name AS author FROM public.books b JOIN public.authors a ON a.id = b.author_id;

CREATE VIEW public.titles AS
    SELECT title FROM public.book_list;
