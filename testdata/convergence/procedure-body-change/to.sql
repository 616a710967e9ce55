-- procedure-body-change (to): it deletes finished jobs only, as a security definer

CREATE TABLE public.jobs (
    id integer NOT NULL,
    finished boolean NOT NULL DEFAULT false,
    CONSTRAINT jobs_pkey PRIMARY KEY (id)
);

CREATE PROCEDURE public.cleanup()
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public
    AS $$ BEGIN DELETE FROM public.jobs WHERE finished; END $$;
