-- column-types-numeric (to): columns of every numeric built-in type

CREATE TABLE public.measurements (
    id integer NOT NULL,
    c_smallint smallint,
    c_integer integer,
    c_bigint bigint,
    c_numeric_ps numeric(12,4),
    c_numeric_p numeric(8),
    c_numeric numeric,
    c_real real,
    c_double double precision,
    c_float4 float4,
    c_money money,
    CONSTRAINT measurements_pkey PRIMARY KEY (id)
);
