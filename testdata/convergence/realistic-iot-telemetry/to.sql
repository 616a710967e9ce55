-- realistic-iot-telemetry (to): an IoT schema: network types, hstore tags in an extension schema, unlogged staging becomes logged

CREATE SCHEMA iot;
CREATE SCHEMA ext;

CREATE EXTENSION hstore SCHEMA ext;

CREATE TYPE iot.device_kind AS ENUM ('sensor', 'gateway', 'actuator');

CREATE TABLE iot.networks (
    id integer NOT NULL,
    subnet cidr NOT NULL,
    CONSTRAINT networks_pkey PRIMARY KEY (id)
);

CREATE TABLE iot.devices (
    id integer NOT NULL,
    serial_no varchar(64) NOT NULL,
    mac macaddr NOT NULL,
    last_ip inet,
    kind iot.device_kind NOT NULL DEFAULT 'sensor',
    tags ext.hstore,
    network_id integer,
    firmware bit varying(32),
    CONSTRAINT devices_pkey PRIMARY KEY (id),
    CONSTRAINT devices_serial_key UNIQUE (serial_no),
    CONSTRAINT devices_mac_key UNIQUE (mac),
    CONSTRAINT devices_network_fkey FOREIGN KEY (network_id) REFERENCES iot.networks (id) ON DELETE SET NULL
);

CREATE TABLE iot.readings_staging (
    device_id integer NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision NOT NULL
);

CREATE TABLE iot.readings (
    device_id integer NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision NOT NULL,
    CONSTRAINT readings_pkey PRIMARY KEY (device_id, taken_at),
    CONSTRAINT readings_device_fkey FOREIGN KEY (device_id) REFERENCES iot.devices (id) ON DELETE CASCADE
) WITH (fillfactor = 100);

CREATE INDEX readings_taken_at_brin ON iot.readings USING brin (taken_at);
CREATE INDEX devices_last_ip_idx ON iot.devices USING gist (last_ip inet_ops);
