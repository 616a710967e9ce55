-- first file
CREATE TABLE a (id int);
