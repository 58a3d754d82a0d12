-- P3.1, P4.3, P8.1: a merchant that closes before it confirmed a user's notice can confirm nothing any more (its key is
-- revoked): its listings are marked closed (WebhookOutboxStore.CloseMerchantAsync), shown closed to the user, kept off
-- support's lists of unconfirmed recipients, and never sent again. Found by recipient at the closing.
ALTER TABLE request_recipients ADD COLUMN closed_at timestamptz NULL;
CREATE INDEX ix_request_recipients_open_by_recipient ON request_recipients (recipient) WHERE confirmed_at IS NULL AND closed_at IS NULL;
