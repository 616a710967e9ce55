-- enum-value-with-special-chars (to): enum labels with spaces, quotes and mixed case

CREATE TYPE public.label AS ENUM ('Plain', 'with space', 'it''s', 'UPPER-case', 'ünïcode');
