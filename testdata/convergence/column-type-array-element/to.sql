-- column-type-array-element (to): array element types change (int[]->bigint[], varchar(10)[]->varchar(40)[])

CREATE TABLE public.t (
    id integer NOT NULL,
    ids bigint[],
    tags varchar(40)[] NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);
