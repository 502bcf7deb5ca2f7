-- Upgrade from WaterSpout's first history schema (a sequence per user in ws_inbox and ws_delivery,
-- group memberships in ws_membership) to streams: migration version 2 (FirstSchemaToStreams) runs
-- it when ws_inbox exists. One statement per line; each is idempotent. Each user's sequence
-- becomes the stream user:<id> with the same numbers, so a client's cursor stays valid and numbers
-- never repeat. Group notifications already in users' sequences stay there; new ones go to the
-- groups' streams. The old tables are left for the DBA to drop once every instance runs this
-- version (DROP TABLE ws_delivery, ws_inbox, ws_membership).
INSERT INTO ws_stream (name, last_seq) SELECT CONCAT('user:', i.user_id), i.last_seq FROM ws_inbox i WHERE NOT EXISTS (SELECT 1 FROM ws_stream s WHERE s.name = CONCAT('user:', i.user_id));
INSERT INTO ws_stream_ack (user_id, stream, acked_seq) SELECT i.user_id, CONCAT('user:', i.user_id), i.acked_seq FROM ws_inbox i WHERE NOT EXISTS (SELECT 1 FROM ws_stream_ack a WHERE a.user_id = i.user_id AND a.stream = CONCAT('user:', i.user_id));
INSERT INTO ws_stream_entry (stream, seq, notification_id, accepted_at) SELECT CONCAT('user:', d.user_id), d.seq, d.notification_id, d.accepted_at FROM ws_delivery d WHERE NOT EXISTS (SELECT 1 FROM ws_stream_entry e WHERE e.stream = CONCAT('user:', d.user_id) AND e.seq = d.seq);
