-- fk-referenced-key-replaced-referencing-dropped (to): the key moves to another column and the referencing table goes
CREATE TABLE users (
  user_id integer NOT NULL,
  name text,
  CONSTRAINT users_pkey PRIMARY KEY (user_id)
);
