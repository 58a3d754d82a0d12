-- P3.3, P1.7: a demand withheld from its user, or of no named document, begun before its second operator was required and
-- never finished (refused, interrupted) would be handed over by its recorder's retry alone: it waits for a second operator
-- as a new one does. Finished ones are left as they were.
UPDATE legal_disclosures SET approval_needed = true
 WHERE completed_at IS NULL AND approved_at IS NULL AND (NOT user_notified OR document_type = 'other');
