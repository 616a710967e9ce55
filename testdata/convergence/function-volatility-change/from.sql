-- function-volatility-change (from): a volatile PL/pgSQL function

CREATE FUNCTION public.today_label() RETURNS text
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN to_char(now(), 'YYYY-MM-DD'); END $$;
