-- composite-other-schema (to): a composite type in it used by a table in it

CREATE SCHEMA geo;

CREATE TYPE geo.coord AS (lat double precision, lon double precision);

CREATE TABLE geo.place (
    id integer NOT NULL,
    at geo.coord NOT NULL,
    CONSTRAINT place_pkey PRIMARY KEY (id)
);
