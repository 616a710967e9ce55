-- extension-several (from): several extensions are installed at once, one in its own schema

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
