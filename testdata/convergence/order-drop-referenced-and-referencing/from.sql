-- order-drop-referenced-and-referencing (from): a referenced table and the table referencing it are dropped together

CREATE TABLE public.authors (
    id integer NOT NULL,
    CONSTRAINT authors_pkey PRIMARY KEY (id)
);

CREATE TABLE public.books (
    id integer NOT NULL,
    author_id integer NOT NULL,
    CONSTRAINT books_pkey PRIMARY KEY (id),
    CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id)
);

CREATE TABLE public.reviews (
    id integer NOT NULL,
    book_id integer NOT NULL,
    CONSTRAINT reviews_pkey PRIMARY KEY (id),
    CONSTRAINT reviews_book_fkey FOREIGN KEY (book_id) REFERENCES public.books (id)
);

CREATE TABLE public.settings (
    key text NOT NULL,
    CONSTRAINT settings_pkey PRIMARY KEY (key)
);
