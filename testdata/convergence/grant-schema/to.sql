-- grant-schema (to): USAGE for the reader, USAGE and CREATE for the writer

CREATE SCHEMA app;

GRANT USAGE ON SCHEMA app TO sextant_reader;

GRANT USAGE, CREATE ON SCHEMA app TO sextant_writer;
