-- column-type-array-element (from): array element types change (int[]->bigint[], varchar(10)[]->varchar(40)[])

CREATE TABLE public.t (
    id integer NOT NULL,
    ids integer[],
    tags varchar(10)[] NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
