-- generated-tsvector-indexed (to): a generated tsvector column with a GIN index is added

CREATE TABLE public.articles (
    id integer NOT NULL,
    title text NOT NULL,
    body text,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, title || ' ' || coalesce(body, ''))) STORED,
    CONSTRAINT articles_pkey PRIMARY KEY (id)
);

CREATE INDEX articles_search_idx ON public.articles USING gin (search);
