-- Issue 15: sealed_state_owner (0048) was declared IMMUTABLE around convert_from, which is only STABLE, and PostgreSQL
-- inlines a SQL function only when its body is no more volatile than its declaration. So each call went through the
-- SQL-function executor, which parses and plans the body once per transaction: the owned-states trigger of a new grain
-- state paid that in every transaction that inserts one (7 % of PostgreSQL's samples during orders, by perf; a
-- transaction of one sealed state insert 0.24 ms against 0.20 inlined, by pgbench; docs/performance.md, twenty-second
-- round). STABLE is what the body is: its text depends on the database's encoding. No index uses the function.
ALTER FUNCTION sealed_state_owner(bytea) STABLE;
