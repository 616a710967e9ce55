-- extension-pgcrypto (to): pgcrypto is installed and used by a column default

CREATE EXTENSION pgcrypto;

CREATE TABLE public.secrets (
    id integer NOT NULL,
    salt text DEFAULT gen_salt('bf'),
    CONSTRAINT secrets_pkey PRIMARY KEY (id)
);
