-- view-recursive (to): a recursive view walks the tree

CREATE TABLE public.categories (
    id integer NOT NULL,
    parent_id integer,
    name text NOT NULL,
    CONSTRAINT categories_pkey PRIMARY KEY (id),
    CONSTRAINT categories_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.categories (id)
);

CREATE RECURSIVE VIEW public.category_paths (id, path) AS
    SELECT id, ARRAY[name] FROM public.categories WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, p.path || c.name FROM public.categories c JOIN category_paths p ON c.parent_id = p.id;
