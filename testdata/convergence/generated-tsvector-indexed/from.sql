-- generated-tsvector-indexed (from): a generated tsvector column with a GIN index is added

CREATE TABLE public.articles (
    id integer NOT NULL,
    title text NOT NULL,
    body text,
    CONSTRAINT articles_pkey PRIMARY KEY (id)
);
