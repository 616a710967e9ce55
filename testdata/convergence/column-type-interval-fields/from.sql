-- column-type-interval-fields (from): plain interval gains interval fields / precision

CREATE TABLE public.t (
    id integer NOT NULL,
    term interval,
    duration interval,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
