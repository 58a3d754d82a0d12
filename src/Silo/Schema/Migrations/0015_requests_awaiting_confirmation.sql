-- P8.1: a request awaiting the user's confirmation is open: it is on support's open and overdue lists,
-- its 15 days running from receipt.
CREATE INDEX ix_data_rights_requests_open_page_v2 ON data_rights_requests (due_at, request_id)
    WHERE status IN ('AwaitingConfirmation', 'Received', 'InProgress');
DROP INDEX ix_data_rights_requests_open_page;
