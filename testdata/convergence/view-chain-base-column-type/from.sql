-- view-chain-base-column-type (from): a chain of three views over an integer column

CREATE TABLE public.readings (
    id integer NOT NULL,
    sensor text NOT NULL,
    value integer NOT NULL,
    CONSTRAINT readings_pkey PRIMARY KEY (id)
);

CREATE VIEW public.sensor_values AS
    SELECT sensor, value FROM public.readings;

CREATE VIEW public.sensor_max AS
    SELECT sensor, max(value) AS max_value FROM public.sensor_values GROUP BY sensor;

CREATE VIEW public.sensor_report AS
    SELECT sensor, max_value, max_value > 100 AS high FROM public.sensor_max;
