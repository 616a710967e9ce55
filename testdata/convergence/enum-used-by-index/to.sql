-- enum-used-by-index (to): values are added to an enum used in an index and a check constraint

CREATE TYPE public.level AS ENUM ('debug', 'info', 'warn', 'error', 'fatal');

CREATE TABLE public.logs (
    id bigint NOT NULL,
    level public.level NOT NULL,
    CONSTRAINT logs_pkey PRIMARY KEY (id),
    CONSTRAINT logs_level_check CHECK (level <> 'debug')
);

CREATE INDEX logs_level_idx ON public.logs (level);
