-- WaterSpout's history schema, for H2 2.x and PostgreSQL 12+. WaterSpout runs it at start-up
-- (every statement is idempotent); a DBA who manages the schema runs it once and sets
-- waterspout.history.create-schema=false. One statement per line, each ending with a semicolon.
--
-- ws_notification: each accepted notification once (its id de-duplicates), its frame, expiry and
--   receipt state. Times are epoch milliseconds (UTC); expires_at 0 means never.
CREATE TABLE IF NOT EXISTS ws_notification (id VARCHAR(200) NOT NULL PRIMARY KEY, frame VARCHAR(1048576) NOT NULL, accepted_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, reply_kind VARCHAR(5), reply_name VARCHAR(1000), correlation_id VARCHAR(1000), receipt_state VARCHAR(9) NOT NULL, receipt_due BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS ws_notification_accepted ON ws_notification (accepted_at);
CREATE INDEX IF NOT EXISTS ws_notification_receipt ON ws_notification (receipt_state, receipt_due);
-- ws_inbox: per user, the last sequence number given out and the highest one acknowledged. Rows
--   are never deleted: a user's sequence must never restart.
CREATE TABLE IF NOT EXISTS ws_inbox (user_id VARCHAR(200) NOT NULL PRIMARY KEY, last_seq BIGINT NOT NULL, acked_seq BIGINT NOT NULL);
-- ws_delivery: a notification in one user's sequence; via_groups: the addressed groups through
--   which the user got it, one per line.
CREATE TABLE IF NOT EXISTS ws_delivery (user_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, notification_id VARCHAR(200) NOT NULL, accepted_at BIGINT NOT NULL, via_groups VARCHAR(1048576) NOT NULL, receipt_pending BOOLEAN NOT NULL, PRIMARY KEY (user_id, seq));
CREATE INDEX IF NOT EXISTS ws_delivery_accepted ON ws_delivery (accepted_at);
CREATE INDEX IF NOT EXISTS ws_delivery_notification ON ws_delivery (notification_id);
-- ws_membership: the groups each user's last token named, so a notification for a group reaches
--   the sequences of its members.
CREATE TABLE IF NOT EXISTS ws_membership (group_name VARCHAR(200) NOT NULL, user_id VARCHAR(200) NOT NULL, seen_at BIGINT NOT NULL, PRIMARY KEY (group_name, user_id));
CREATE INDEX IF NOT EXISTS ws_membership_user ON ws_membership (user_id);
-- ws_receipt_target: for a notification that wants a receipt, each addressed user (kind U) and
--   group (kind G), and when it was first seen (0: not yet).
CREATE TABLE IF NOT EXISTS ws_receipt_target (notification_id VARCHAR(200) NOT NULL, kind CHAR(1) NOT NULL, name VARCHAR(200) NOT NULL, seen_at BIGINT NOT NULL, PRIMARY KEY (notification_id, kind, name));
-- ws_lock: one row; a transaction that creates a user's ws_inbox row locks it first, so two
--   first notifications for a new user (or one and the user's first sign-in) never both insert.
CREATE TABLE IF NOT EXISTS ws_lock (id INTEGER NOT NULL PRIMARY KEY);
INSERT INTO ws_lock (id) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM ws_lock WHERE id = 1);
