-- fk-referenced-key-replaced-referencing-dropped (from): a key with a foreign key resting on it
CREATE TABLE users (
  id integer NOT NULL,
  CONSTRAINT users_pkey PRIMARY KEY (id)
);
CREATE TABLE taggings (
  id integer NOT NULL,
  user_id integer,
  CONSTRAINT taggings_pkey PRIMARY KEY (id),
  CONSTRAINT taggings_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
);
