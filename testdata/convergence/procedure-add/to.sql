-- procedure-add (to): procedures in PL/pgSQL (with an INOUT and an OUT parameter) and in SQL-standard form

CREATE TABLE public.audit (
    id bigint GENERATED ALWAYS AS IDENTITY,
    what text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_pkey PRIMARY KEY (id)
);

CREATE PROCEDURE public.record(what text, OUT at timestamptz, INOUT n bigint DEFAULT NULL)
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO public.audit (what) VALUES (what) RETURNING audit.id, audit.at INTO n, at;
END;
$$;

CREATE PROCEDURE public.purge_audit(before timestamptz)
    LANGUAGE sql
BEGIN ATOMIC
    DELETE FROM public.audit WHERE at < before;
END;
