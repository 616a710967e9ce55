-- range-opclass (to): it uses text_pattern_ops

CREATE TYPE public.textrange AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
