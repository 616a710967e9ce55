-- fk-new-tables-same-migration (to): two new tables linked by a foreign key are created in one migration

CREATE TABLE public.settings (
    key text NOT NULL,
    CONSTRAINT settings_pkey PRIMARY KEY (key)
);

CREATE TABLE public.playlists (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT playlists_pkey PRIMARY KEY (id)
);

CREATE TABLE public.playlist_items (
    playlist_id integer NOT NULL,
    position integer NOT NULL,
    track text NOT NULL,
    CONSTRAINT playlist_items_pkey PRIMARY KEY (playlist_id, position),
    CONSTRAINT playlist_items_playlist_fkey FOREIGN KEY (playlist_id) REFERENCES public.playlists (id) ON DELETE CASCADE
);
