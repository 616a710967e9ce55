-- column-types-document (to): json, jsonb, uuid, xml, tsvector and tsquery columns

CREATE TABLE public.documents (
    id integer NOT NULL,
    c_json json,
    c_jsonb jsonb,
    c_uuid uuid,
    c_xml xml,
    c_tsvector tsvector,
    c_tsquery tsquery,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);
