-- procedure-body-change (from): a procedure that deletes everything

CREATE TABLE public.jobs (
    id integer NOT NULL,
    finished boolean NOT NULL DEFAULT false,
    CONSTRAINT jobs_pkey PRIMARY KEY (id)
);

CREATE PROCEDURE public.cleanup()
    LANGUAGE plpgsql
    AS $$ BEGIN DELETE FROM public.jobs; END $$;
