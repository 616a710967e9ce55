-- schema-create-empty (from): an empty schema is created / dropped

CREATE TABLE public.items (
    id integer NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);
