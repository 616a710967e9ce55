-- function-volatility-change (to): declared stable, and with a time zone pinned for its run

CREATE FUNCTION public.today_label() RETURNS text
    LANGUAGE plpgsql STABLE
    SET timezone = 'UTC'
    AS $$ BEGIN RETURN to_char(now(), 'YYYY-MM-DD'); END $$;
