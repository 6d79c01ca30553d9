-- The foundation: organisations, users and their credentials, sessions, API
-- tokens, login throttling, and the audit log with its Merkle tree.
-- Times are TIMESTAMP columns holding UTC (the driver's _time_format=sqlite);
-- *_key columns hold case-folded text computed in Go, because SQLite's
-- lower() folds only ASCII.

-- +goose Up
CREATE TABLE orgs (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	name_key     TEXT NOT NULL UNIQUE,
	type         TEXT NOT NULL,
	jurisdiction TEXT NOT NULL,
	disabled     BOOLEAN NOT NULL DEFAULT FALSE,
	totp_roles   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	updated_by   TEXT NOT NULL
);

CREATE TABLE users (
	id                  TEXT PRIMARY KEY,
	org_id              TEXT NOT NULL REFERENCES orgs (id),
	login               TEXT NOT NULL,
	login_key           TEXT NOT NULL UNIQUE,
	name                TEXT NOT NULL,
	name_key            TEXT NOT NULL,
	roles               TEXT NOT NULL,
	lang                TEXT NOT NULL,
	disabled            BOOLEAN NOT NULL DEFAULT FALSE,
	password_hash       TEXT NOT NULL,
	password_changed_at TIMESTAMP NOT NULL,
	totp_secret         TEXT NOT NULL DEFAULT '',
	totp_enabled        BOOLEAN NOT NULL DEFAULT FALSE,
	totp_last_step      BIGINT NOT NULL DEFAULT 0,
	last_login_at       TIMESTAMP,
	created_at          TIMESTAMP NOT NULL,
	created_by          TEXT NOT NULL,
	updated_at          TIMESTAMP NOT NULL,
	updated_by          TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id, id);

CREATE TABLE recovery_codes (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id),
	code_hash  TEXT NOT NULL,
	used_at    TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
	id           TEXT PRIMARY KEY, -- hex SHA-256 of the cookie token
	user_id      TEXT NOT NULL REFERENCES users (id),
	stage        TEXT NOT NULL,
	remote_addr  TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	secret_hash  TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	expires_at   TIMESTAMP NOT NULL,
	last_used_at TIMESTAMP,
	revoked_at   TIMESTAMP,
	created_at   TIMESTAMP NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	updated_by   TEXT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- One row per throttled key: an account ("user:ID"), an unknown login
-- ("login:SHA256"), or a remote address ("addr:IP").
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	window_start TIMESTAMP NOT NULL,
	locked_until TIMESTAMP
);

CREATE TABLE audit_log (
	seq          BIGINT PRIMARY KEY,
	at           TIMESTAMP NOT NULL,
	actor_id     TEXT NOT NULL,
	actor_org_id TEXT NOT NULL,
	via          TEXT NOT NULL,
	remote_addr  TEXT NOT NULL,
	action       TEXT NOT NULL,
	record_type  TEXT NOT NULL,
	record_id    TEXT NOT NULL,
	outcome      TEXT NOT NULL,
	detail       TEXT NOT NULL,
	break_glass  BOOLEAN NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_org ON audit_log (actor_org_id, seq);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The stored hashes of the Merkle tree, indexed as tlog.StoredHashIndex.
CREATE TABLE audit_hashes (
	idx  BIGINT PRIMARY KEY,
	hash BLOB NOT NULL
);

-- One signed checkpoint per committed transaction that appended entries.
CREATE TABLE audit_checkpoints (
	size   BIGINT PRIMARY KEY,
	signed TEXT NOT NULL,
	at     TIMESTAMP NOT NULL
);

-- The single row whose update serialises appenders, so sequence numbers
-- have no gaps.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	size BIGINT NOT NULL
);
INSERT INTO audit_head (id, size) VALUES (1, 0);

-- The trail is append-only for the application. Someone with the database
-- file can still drop these triggers; the Merkle tree and signed checkpoints
-- are what make such an edit visible to `atip audit verify`.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_hashes_no_update BEFORE UPDATE ON audit_hashes
BEGIN SELECT RAISE(ABORT, 'audit_hashes is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_hashes_no_delete BEFORE DELETE ON audit_hashes
BEGIN SELECT RAISE(ABORT, 'audit_hashes is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_checkpoints;
DROP TABLE audit_hashes;
DROP TABLE audit_log;
DROP TABLE login_throttle;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE users;
DROP TABLE orgs;
