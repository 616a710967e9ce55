-- order-reverse-alpha-fks (from): new tables reference tables that sort later alphabetically

CREATE TABLE public.meta (
    key text NOT NULL,
    CONSTRAINT meta_pkey PRIMARY KEY (key)
);
