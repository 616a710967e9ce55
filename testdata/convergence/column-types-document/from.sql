-- column-types-document (from): json, jsonb, uuid, xml, tsvector and tsquery columns

CREATE TABLE public.documents (
    id integer NOT NULL,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);
