-- pk-referenced-change (from): a primary key referenced by a foreign key changes columns (FK follows)

CREATE TABLE public.tenants (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT tenants_pkey PRIMARY KEY (id),
    CONSTRAINT tenants_code_key UNIQUE (code)
);

CREATE TABLE public.users (
    id integer NOT NULL,
    tenant_id integer NOT NULL,
    tenant_code text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_tenant_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants (id)
);
