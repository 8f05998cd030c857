-- Handled outbox messages are pruned once OUTBOX_KEEP_DONE_DAYS have passed (the worker does it
-- about once an hour, a thousand rows at a time): this index finds them oldest first without
-- reading the pending and dead ones.
create index outbox_done on outbox (processed_at) where status = 'done';
