-- function-security-definer (from): a function that runs with the caller's rights

CREATE SCHEMA private;

CREATE TABLE private.secrets (
    id integer NOT NULL,
    owner text NOT NULL,
    CONSTRAINT secrets_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.secret_count(who text) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM private.secrets WHERE owner = who $$;
