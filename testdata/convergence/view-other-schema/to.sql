-- view-other-schema (to): a reporting schema with views over the public table and over each other (dropped with the schema in reverse)

CREATE SCHEMA reporting;

CREATE TABLE public.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
);

CREATE VIEW reporting.daily_events AS
    SELECT date_trunc('day', at) AS day, kind, count(*) AS n FROM public.events GROUP BY 1, 2;

CREATE VIEW reporting."Busy Days" AS
    SELECT day FROM reporting.daily_events WHERE n > 1000;
