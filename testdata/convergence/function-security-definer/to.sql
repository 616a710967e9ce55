-- function-security-definer (to): SECURITY DEFINER with a pinned search_path and a statement timeout

CREATE SCHEMA private;

CREATE TABLE private.secrets (
    id integer NOT NULL,
    owner text NOT NULL,
    CONSTRAINT secrets_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.secret_count(who text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = private, pg_temp
    SET statement_timeout = '5s'
    AS $$ SELECT count(*) FROM private.secrets WHERE owner = who $$;
