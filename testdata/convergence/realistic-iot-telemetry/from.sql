-- realistic-iot-telemetry (from): an IoT schema: network types, hstore tags in an extension schema, unlogged staging becomes logged

CREATE SCHEMA iot;

CREATE TABLE iot.devices (
    id integer NOT NULL,
    serial_no varchar(32) NOT NULL,
    mac macaddr NOT NULL,
    last_ip inet,
    CONSTRAINT devices_pkey PRIMARY KEY (id),
    CONSTRAINT devices_serial_key UNIQUE (serial_no)
);

CREATE UNLOGGED TABLE iot.readings_staging (
    device_id integer NOT NULL,
    taken_at timestamp NOT NULL,
    value double precision NOT NULL
);

CREATE TABLE iot.readings (
    device_id integer NOT NULL,
    taken_at timestamp NOT NULL,
    value real NOT NULL,
    CONSTRAINT readings_pkey PRIMARY KEY (device_id, taken_at),
    CONSTRAINT readings_device_fkey FOREIGN KEY (device_id) REFERENCES iot.devices (id)
);
