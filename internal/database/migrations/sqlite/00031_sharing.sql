-- The sharing workflows (issue 3) over the records registry: consents,
-- transfers of ownership, access requests, break-glass accesses,
-- deconfliction tokens and matches, sightings, per-organisation defaults and
-- retention rules, and erasure requests. Lists of ids, purposes and classes
-- are JSON arrays written and read only by Go. No table here holds a
-- person's name: consents say who gave them by relation, reasons are the
-- staff's words about the need, selectors are stored as keyed tokens only.

-- +goose Up
CREATE TABLE consents (
	id                TEXT PRIMARY KEY,
	record_id         TEXT NOT NULL REFERENCES records (id),
	record_type       TEXT NOT NULL,
	purposes          TEXT NOT NULL DEFAULT '[]',
	org_ids           TEXT NOT NULL DEFAULT '[]',
	group_ids         TEXT NOT NULL DEFAULT '[]',
	method            TEXT NOT NULL CHECK (method IN ('verbal', 'written')),
	given_by          TEXT NOT NULL CHECK (given_by IN ('person', 'guardian', 'cwc')),
	guardian_relation TEXT NOT NULL DEFAULT '',
	child_assent      BOOLEAN NOT NULL DEFAULT FALSE,
	recorded_by       TEXT NOT NULL,
	given_at          TIMESTAMP NOT NULL,
	withdrawn_at      TIMESTAMP,
	withdrawn_by      TEXT NOT NULL DEFAULT '',
	created_at        TIMESTAMP NOT NULL,
	created_by        TEXT NOT NULL,
	updated_at        TIMESTAMP NOT NULL,
	updated_by        TEXT NOT NULL
);
CREATE INDEX consents_record ON consents (record_id);

CREATE TABLE transfers (
	id             TEXT PRIMARY KEY,
	record_id      TEXT NOT NULL REFERENCES records (id),
	record_type    TEXT NOT NULL,
	from_org_id    TEXT NOT NULL REFERENCES orgs (id),
	to_org_id      TEXT NOT NULL REFERENCES orgs (id),
	purpose        TEXT NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	by_user_id     TEXT NOT NULL,
	at             TIMESTAMP NOT NULL,
	accepted_by    TEXT NOT NULL DEFAULT '',
	accepted_at    TIMESTAMP,
	declined_at    TIMESTAMP,
	decline_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transfers_to ON transfers (to_org_id, id);
CREATE INDEX transfers_record ON transfers (record_id);

CREATE TABLE access_requests (
	id               TEXT PRIMARY KEY,
	record_id        TEXT NOT NULL REFERENCES records (id),
	record_type      TEXT NOT NULL,
	owner_org_id     TEXT NOT NULL REFERENCES orgs (id),
	requester_id     TEXT NOT NULL REFERENCES users (id),
	requester_org_id TEXT NOT NULL REFERENCES orgs (id),
	classes          TEXT NOT NULL DEFAULT '[]',
	purpose          TEXT NOT NULL,
	reason           TEXT NOT NULL,
	status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'canceled')),
	decided_by       TEXT NOT NULL DEFAULT '',
	decided_at       TIMESTAMP,
	decision_note    TEXT NOT NULL DEFAULT '',
	referral_id      TEXT NOT NULL DEFAULT '',
	created_at       TIMESTAMP NOT NULL,
	created_by       TEXT NOT NULL,
	updated_at       TIMESTAMP NOT NULL,
	updated_by       TEXT NOT NULL
);
CREATE INDEX access_requests_owner ON access_requests (owner_org_id, status);
CREATE INDEX access_requests_requester ON access_requests (requester_id);

CREATE TABLE break_glass (
	id                TEXT PRIMARY KEY,
	record_id         TEXT NOT NULL REFERENCES records (id),
	record_type       TEXT NOT NULL,
	owner_org_id      TEXT NOT NULL REFERENCES orgs (id),
	user_id           TEXT NOT NULL REFERENCES users (id),
	org_id            TEXT NOT NULL REFERENCES orgs (id),
	classes           TEXT NOT NULL DEFAULT '[]',
	reason            TEXT NOT NULL,
	started_at        TIMESTAMP NOT NULL,
	expires_at        TIMESTAMP NOT NULL,
	notified_user_ids TEXT NOT NULL DEFAULT '[]',
	reviewed_by       TEXT NOT NULL DEFAULT '',
	reviewed_at       TIMESTAMP
);
-- Every decision loads the actor's open accesses.
CREATE INDEX break_glass_user ON break_glass (user_id, expires_at);
CREATE INDEX break_glass_owner ON break_glass (owner_org_id, id);

-- Keyed HMAC tokens of the selectors records hold (internal/deconflict):
-- never the selector itself.
CREATE TABLE selector_tokens (
	token       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	record_id   TEXT NOT NULL REFERENCES records (id),
	record_type TEXT NOT NULL,
	org_id      TEXT NOT NULL REFERENCES orgs (id),
	created_at  TIMESTAMP NOT NULL,
	PRIMARY KEY (token, record_id)
);
CREATE INDEX selector_tokens_record ON selector_tokens (record_id);

-- A deconfliction match as the asking organisation knows it: its own record,
-- the organisation to ask, and (for the server only) the other record.
CREATE TABLE deconfliction_matches (
	id                TEXT PRIMARY KEY,
	org_id            TEXT NOT NULL REFERENCES orgs (id),
	record_id         TEXT NOT NULL REFERENCES records (id),
	record_type       TEXT NOT NULL,
	other_org_id      TEXT NOT NULL REFERENCES orgs (id),
	other_record_id   TEXT NOT NULL REFERENCES records (id),
	other_record_type TEXT NOT NULL,
	token             TEXT NOT NULL,
	selectors         INTEGER NOT NULL,
	created_at        TIMESTAMP NOT NULL,
	UNIQUE (record_id, other_record_id)
);
CREATE INDEX deconfliction_matches_org ON deconfliction_matches (org_id, id);

CREATE TABLE sightings (
	id           TEXT PRIMARY KEY,
	record_id    TEXT NOT NULL REFERENCES records (id),
	record_type  TEXT NOT NULL,
	from_org_id  TEXT NOT NULL REFERENCES orgs (id),
	to_org_id    TEXT NOT NULL REFERENCES orgs (id),
	selector_ref TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	at           TIMESTAMP NOT NULL,
	by_user_id   TEXT NOT NULL
);
CREATE INDEX sightings_to ON sightings (to_org_id, id);

CREATE TABLE sharing_defaults (
	org_id       TEXT NOT NULL REFERENCES orgs (id),
	record_type  TEXT NOT NULL,
	distribution TEXT NOT NULL CHECK (distribution IN ('owner', 'groups', 'platform')),
	tlp          TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
	PRIMARY KEY (org_id, record_type)
);

CREATE TABLE retention_rules (
	org_id      TEXT NOT NULL REFERENCES orgs (id),
	record_type TEXT NOT NULL,
	keep_days   INTEGER NOT NULL CHECK (keep_days > 0),
	PRIMARY KEY (org_id, record_type)
);

CREATE TABLE erasure_requests (
	id           TEXT PRIMARY KEY,
	record_id    TEXT NOT NULL REFERENCES records (id),
	record_type  TEXT NOT NULL,
	owner_org_id TEXT NOT NULL REFERENCES orgs (id),
	reason       TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	requested_at TIMESTAMP NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
	decided_by   TEXT NOT NULL DEFAULT '',
	decided_at   TIMESTAMP
);
CREATE INDEX erasure_requests_owner ON erasure_requests (owner_org_id, status);

-- +goose Down
DROP TABLE erasure_requests;
DROP TABLE retention_rules;
DROP TABLE sharing_defaults;
DROP TABLE sightings;
DROP TABLE deconfliction_matches;
DROP TABLE selector_tokens;
DROP TABLE break_glass;
DROP TABLE access_requests;
DROP TABLE transfers;
DROP TABLE consents;
