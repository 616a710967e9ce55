-- view-chain-base-column-type (to): the base column becomes numeric: every view in the chain is dropped before the type change and recreated after, in dependency order

CREATE TABLE public.readings (
    id integer NOT NULL,
    sensor text NOT NULL,
    value numeric(10,3) NOT NULL,
    CONSTRAINT readings_pkey PRIMARY KEY (id)
);

CREATE VIEW public.sensor_values AS
    SELECT sensor, value FROM public.readings;

CREATE VIEW public.sensor_max AS
    SELECT sensor, max(value) AS max_value FROM public.sensor_values GROUP BY sensor;

CREATE VIEW public.sensor_report AS
    SELECT sensor, max_value, max_value > 100 AS high FROM public.sensor_max;
