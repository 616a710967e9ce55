-- fk-set-null-column-list (from): ON DELETE SET NULL with a column list (PostgreSQL 15)

CREATE TABLE public.users (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (tenant_id, id)
);

CREATE TABLE public.posts (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    author_id integer,
    CONSTRAINT posts_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT posts_author_fkey FOREIGN KEY (tenant_id, author_id) REFERENCES public.users (tenant_id, id) ON DELETE SET NULL
);
