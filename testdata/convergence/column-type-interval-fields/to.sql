-- column-type-interval-fields (to): plain interval gains interval fields / precision

CREATE TABLE public.t (
    id integer NOT NULL,
    term interval year to month,
    duration interval day to second(0),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
