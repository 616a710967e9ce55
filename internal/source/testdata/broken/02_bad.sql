-- ünïcode comment
CREATE TABLE b (
  id int,
  name txet
);
