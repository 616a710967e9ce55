-- column-types-array (to): array columns of several element types and dimensions

CREATE TABLE public.bags (
    id integer NOT NULL,
    c_int_arr integer[],
    c_text_2d text[][],
    c_varchar_arr varchar(10)[],
    c_numeric_arr numeric(8,2)[],
    c_uuid_arr uuid[],
    c_jsonb_arr jsonb[],
    c_ts_arr timestamptz[],
    c_range_arr int4range[],
    c_fixed_arr integer[3],
    c_bool_arr boolean ARRAY,
    CONSTRAINT bags_pkey PRIMARY KEY (id)
);
