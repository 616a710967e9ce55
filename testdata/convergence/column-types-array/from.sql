-- column-types-array (from): array columns of several element types and dimensions

CREATE TABLE public.bags (
    id integer NOT NULL,
    CONSTRAINT bags_pkey PRIMARY KEY (id)
);
