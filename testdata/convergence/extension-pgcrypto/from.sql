-- extension-pgcrypto (from): pgcrypto is installed and used by a column default

CREATE TABLE public.secrets (
    id integer NOT NULL,
    salt text,
    CONSTRAINT secrets_pkey PRIMARY KEY (id)
);
