-- Tips, continued: a rate limit on the public reporting page shared by every
-- server process on this database, and links from a tip's selectors to
-- cases and their suspects.

-- +goose Up
-- The keys that hash a client's address before it is used as a rate-limit
-- key: one random key per UTC day, deleted after two days, so a stored hash
-- cannot be matched to an address once its day's key is gone. Addresses
-- themselves are never stored.
CREATE TABLE tip_rate_keys (
	day    TEXT PRIMARY KEY, -- 2006-01-02
	secret BLOB NOT NULL
);
-- One row per client (its address's keyed hash): the generic cell rate
-- algorithm's theoretical arrival time, in microseconds since 1970. A row
-- whose time has passed is a full bucket and is pruned.
CREATE TABLE tip_rate_limits (
	key_hash BLOB PRIMARY KEY,
	tat_us   BIGINT NOT NULL,
	allowed  BOOLEAN NOT NULL
);
CREATE INDEX tip_rate_limits_tat ON tip_rate_limits (tat_us);

-- An analyst's link from a selector seen in a tip to a case (a registry
-- record of type case) and optionally one of its suspects (a person id;
-- '' for the case alone).
CREATE TABLE tip_selector_cases (
	id         TEXT PRIMARY KEY,
	tip_id     TEXT NOT NULL REFERENCES tips (id),
	type       TEXT NOT NULL,
	normalized TEXT NOT NULL,
	case_id    TEXT NOT NULL REFERENCES records (id),
	suspect_id TEXT NOT NULL DEFAULT '',
	org_id     TEXT NOT NULL REFERENCES orgs (id),
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (type, normalized, case_id, suspect_id)
);
CREATE INDEX tip_selector_cases_key ON tip_selector_cases (type, normalized);
CREATE INDEX tip_selector_cases_tip ON tip_selector_cases (tip_id);

-- +goose Down
DROP TABLE tip_selector_cases;
DROP TABLE tip_rate_limits;
DROP TABLE tip_rate_keys;
