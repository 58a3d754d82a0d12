-- What each recipient of a request was told (the event's type), kept beside the request: the outbox row that
-- carried it is erased after the retention window, the record of what was said is not.
ALTER TABLE request_recipients ADD COLUMN event_type varchar(64) NULL;
UPDATE request_recipients r SET event_type = o.type FROM webhook_outbox o WHERE o.event_id = r.event_id AND r.event_type IS NULL;
