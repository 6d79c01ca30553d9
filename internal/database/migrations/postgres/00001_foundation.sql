-- The foundation: organisations, users and their credentials, sessions, API
-- tokens, login throttling, and the audit log with its Merkle tree.
-- Times are TIMESTAMPTZ columns holding UTC (the driver's _time_format=sqlite);
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
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
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
	password_changed_at TIMESTAMPTZ NOT NULL,
	totp_secret         TEXT NOT NULL DEFAULT '',
	totp_enabled        BOOLEAN NOT NULL DEFAULT FALSE,
	totp_last_step      BIGINT NOT NULL DEFAULT 0,
	last_login_at       TIMESTAMPTZ,
	created_at          TIMESTAMPTZ NOT NULL,
	created_by          TEXT NOT NULL,
	updated_at          TIMESTAMPTZ NOT NULL,
	updated_by          TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id, id);

CREATE TABLE recovery_codes (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id),
	code_hash  TEXT NOT NULL,
	used_at    TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
	id           TEXT PRIMARY KEY, -- hex SHA-256 of the cookie token
	user_id      TEXT NOT NULL REFERENCES users (id),
	stage        TEXT NOT NULL,
	remote_addr  TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	secret_hash  TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ,
	revoked_at   TIMESTAMPTZ,
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	updated_by   TEXT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- One row per throttled key: an account ("user:ID"), an unknown login
-- ("login:SHA256"), or a remote address ("addr:IP").
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	window_start TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ
);

CREATE TABLE audit_log (
	seq          BIGINT PRIMARY KEY,
	at           TIMESTAMPTZ NOT NULL,
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
	hash BYTEA NOT NULL
);

-- One signed checkpoint per committed transaction that appended entries.
CREATE TABLE audit_checkpoints (
	size   BIGINT PRIMARY KEY,
	signed TEXT NOT NULL,
	at     TIMESTAMPTZ NOT NULL
);

-- The single row whose update serialises appenders, so sequence numbers
-- have no gaps.
CREATE TABLE audit_head (
	id   SMALLINT PRIMARY KEY CHECK (id = 1),
	size BIGINT NOT NULL
);
INSERT INTO audit_head (id, size) VALUES (1, 0);

-- The trail is append-only for the application. Someone with the database
-- owner's rights can still drop these triggers; the Merkle tree and signed
-- checkpoints are what make such an edit visible to `atip audit verify`.
-- +goose StatementBegin
CREATE FUNCTION atip_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION atip_append_only();
CREATE TRIGGER audit_hashes_append_only BEFORE UPDATE OR DELETE ON audit_hashes
	FOR EACH ROW EXECUTE FUNCTION atip_append_only();

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
DROP FUNCTION atip_append_only;
