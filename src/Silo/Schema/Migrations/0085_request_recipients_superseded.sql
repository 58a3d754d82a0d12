-- P3.1, P8.1 (*reviewer*): when a later notice to a party took the place of the one its listing was made with (an owed
-- address erased after the request told it: WebhookOutboxStore.SupersedingListing). The party holds the cause's id from
-- the first notice, so by the id alone it confirmed the later one that never reached it; a superseded listing is now
-- confirmed by id only once its notice was delivered or answered since. Nullable, no default: a change of the catalogue
-- only, and a listing never superseded (every one before this) is confirmed by id as before.
ALTER TABLE request_recipients ADD COLUMN IF NOT EXISTS superseded_at timestamptz NULL;
