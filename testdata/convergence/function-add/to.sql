-- function-add (to): a SQL function with a string body that reads the table, a PL/pgSQL function and one with a SQL-standard body

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.user_count() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM public.users $$;

CREATE FUNCTION public.normalize_email(e text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
BEGIN
    RETURN lower(trim(e));
END;
$$;

CREATE FUNCTION public.email_domain(e text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN split_part(e, '@', 2);
