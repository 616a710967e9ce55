-- column-types-datetime (to): date/time columns including precisions and interval fields

CREATE TABLE public.schedule (
    id integer NOT NULL,
    c_date date,
    c_time time,
    c_time3 time(3),
    c_timetz timetz,
    c_timetz0 time(0) with time zone,
    c_ts timestamp,
    c_ts0 timestamp(0),
    c_tstz timestamptz,
    c_tstz3 timestamp(3) with time zone,
    c_interval interval,
    c_interval_ym interval year to month,
    c_interval_ds interval day to second(3),
    c_interval_min interval minute,
    CONSTRAINT schedule_pkey PRIMARY KEY (id)
);
