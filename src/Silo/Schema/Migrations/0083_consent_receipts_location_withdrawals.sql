-- meiling:no-transaction
-- P1.2 (*reviewer*): a location withdrawal keeps its receipt first, then erases the samples; an erasure that failed there
-- was finished only by the same withdrawal sent again. The retention sweep now erases, each hour, what every withdrawal of
-- the retention period left (LocationSampleStore.WithdrawalsAsync): these few rows of a table that grows for good, in the
-- order it pages them. Built beside the receipts' inserts (every consent change), not before them (see SchemaMigrator).
DROP INDEX CONCURRENTLY IF EXISTS ix_consent_receipts_location_withdrawals;
CREATE INDEX CONCURRENTLY ix_consent_receipts_location_withdrawals ON consent_receipts (given_at, sequence) INCLUDE (user_id) WHERE purpose = 'location' AND NOT granted;
