-- column-type-with-default (to): columns with defaults change type (int default 0 -> bigint, text default -> varchar)

CREATE TABLE public.t (
    id integer NOT NULL,
    hits bigint NOT NULL DEFAULT 0,
    status varchar(16) NOT NULL DEFAULT 'new',
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
