-- column-type-indexed (to): an int column with a plain and a partial index becomes bigint

CREATE TABLE public.t (
    id integer NOT NULL,
    owner_id bigint NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE INDEX t_owner_idx ON public.t (owner_id);
CREATE INDEX t_owner_active_idx ON public.t (owner_id) WHERE NOT archived;
