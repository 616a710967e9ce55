-- function-body-change (from): a PL/pgSQL function and a view that calls it

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.normalize_email(e text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    RETURN lower(e);
END;
$$;

CREATE VIEW public.user_emails AS
    SELECT id, public.normalize_email(email) AS email FROM public.users;
