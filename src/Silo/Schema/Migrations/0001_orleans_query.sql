-- The Orleans ADO.NET providers read their SQL from this table at start-up, by key.
-- Table and column names are fixed by the providers (SELECT QueryKey, QueryText FROM OrleansQuery).
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);
