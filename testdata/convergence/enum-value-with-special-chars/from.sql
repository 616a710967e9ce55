-- enum-value-with-special-chars (from): enum labels with spaces, quotes and mixed case

CREATE TYPE public.label AS ENUM ('Plain');
