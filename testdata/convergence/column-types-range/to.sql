-- column-types-range (to): range and multirange columns

CREATE TABLE public.spans (
    id integer NOT NULL,
    c_int4range int4range,
    c_int8range int8range,
    c_numrange numrange,
    c_tsrange tsrange,
    c_tstzrange tstzrange,
    c_daterange daterange,
    c_int4multirange int4multirange,
    c_datemultirange datemultirange,
    CONSTRAINT spans_pkey PRIMARY KEY (id)
);
