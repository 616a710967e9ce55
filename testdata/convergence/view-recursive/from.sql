-- view-recursive (from): a tree table

CREATE TABLE public.categories (
    id integer NOT NULL,
    parent_id integer,
    name text NOT NULL,
    CONSTRAINT categories_pkey PRIMARY KEY (id),
    CONSTRAINT categories_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.categories (id)
);
