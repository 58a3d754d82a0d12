-- P8.1: support's list of open requests pages by keyset, due date then request id; this index serves
-- every page, the first included, in place of the one on the due date alone.
CREATE INDEX ix_data_rights_requests_open_page ON data_rights_requests (due_at, request_id) WHERE status IN ('Received', 'InProgress');
DROP INDEX ix_data_rights_requests_open;
