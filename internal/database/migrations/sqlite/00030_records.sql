-- Shareable records (issue 3): one registry row per person, case, missing
-- report, interception, signal, alert, network or document, holding what the
-- policy needs to decide who may see it — owner, distribution, TLP marking,
-- sharing groups, whether it concerns a child — and the record's own data
-- key. Each record type keeps its other fields in a table of its own whose
-- id is the registry row's id. records.data holds the record as JSON with
-- every protected field blanked; record_secrets holds the whole record
-- sealed under the record's data key, so a dump shows no victim's name.

-- +goose Up
CREATE TABLE records (
	id           TEXT PRIMARY KEY,
	type         TEXT NOT NULL,
	ref          TEXT NOT NULL UNIQUE,
	owner_org_id TEXT NOT NULL REFERENCES orgs (id),
	distribution TEXT NOT NULL CHECK (distribution IN ('owner', 'groups', 'platform')),
	tlp          TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
	-- shared_operational: the record's groups and the platform receive its
	-- operational class as well as the redacted view.
	shared_operational BOOLEAN NOT NULL DEFAULT FALSE,
	child        BOOLEAN NOT NULL DEFAULT FALSE,
	-- dek: the record's data key wrapped under a master key, as a sealed
	-- envelope with no ciphertext ("sealed:v1:<wrapped>."); '' once erased,
	-- which makes every sealed field of the record unreadable for good.
	dek          TEXT NOT NULL DEFAULT '',
	-- data: the record as JSON with the protected classes blanked.
	data         TEXT NOT NULL DEFAULT '{}',
	closed_at    TIMESTAMP,
	erased_at    TIMESTAMP,
	created_at   TIMESTAMP NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	updated_by   TEXT NOT NULL
);
-- Lists pre-filter by owner and type, newest first (ids are UUIDv7).
CREATE INDEX records_owner ON records (owner_org_id, type, id);
-- Platform-wide lists.
CREATE INDEX records_dist ON records (distribution, type, id);

CREATE TABLE record_groups (
	record_id TEXT NOT NULL REFERENCES records (id),
	group_id  TEXT NOT NULL REFERENCES sharing_groups (id),
	PRIMARY KEY (record_id, group_id)
);
CREATE INDEX record_groups_group ON record_groups (group_id, record_id);

-- The whole record as JSON, sealed (AES-256-GCM) under the record's data
-- key with the record id and "record" as associated data. Erasure deletes
-- the row and the data key.
CREATE TABLE record_secrets (
	record_id TEXT PRIMARY KEY REFERENCES records (id),
	sealed    BLOB NOT NULL
);

-- Notifications to users or to every user of a role at an organisation:
-- a deadline overdue, a referral to answer, a break-glass access to review.
-- They carry a message key and record ids, never personal data.
CREATE TABLE notifications (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL REFERENCES orgs (id),
	user_id    TEXT REFERENCES users (id),
	role       TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL,
	record_id  TEXT NOT NULL DEFAULT '',
	record_type TEXT NOT NULL DEFAULT '',
	args       TEXT NOT NULL DEFAULT '{}',
	created_at TIMESTAMP NOT NULL,
	read_at    TIMESTAMP,
	read_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_org ON notifications (org_id, id);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Referrals and access grants (atip.Referral): a scoped, time-limited view
-- of one record given to another organisation. Lists of ids and classes are
-- JSON arrays written and read only by Go.
CREATE TABLE referrals (
	id             TEXT PRIMARY KEY,
	kind           TEXT NOT NULL CHECK (kind IN ('referral', 'access_grant')),
	record_id      TEXT NOT NULL REFERENCES records (id),
	record_type    TEXT NOT NULL,
	from_org_id    TEXT NOT NULL REFERENCES orgs (id),
	to_org_id      TEXT NOT NULL REFERENCES orgs (id),
	to_user_ids    TEXT NOT NULL DEFAULT '[]',
	classes        TEXT NOT NULL DEFAULT '[]',
	purpose        TEXT NOT NULL,
	note           TEXT NOT NULL DEFAULT '',
	granted_by     TEXT NOT NULL,
	granted_at     TIMESTAMP NOT NULL,
	expires_at     TIMESTAMP NOT NULL,
	accepted_at    TIMESTAMP,
	accepted_by    TEXT NOT NULL DEFAULT '',
	declined_at    TIMESTAMP,
	decline_reason TEXT NOT NULL DEFAULT '',
	revoked_at     TIMESTAMP,
	revoked_by     TEXT NOT NULL DEFAULT '',
	created_at     TIMESTAMP NOT NULL,
	created_by     TEXT NOT NULL,
	updated_at     TIMESTAMP NOT NULL,
	updated_by     TEXT NOT NULL
);
-- "What has my organisation been given?" is asked on every page that
-- decides visibility; "what have we shared?" on the manager's list.
CREATE INDEX referrals_to ON referrals (to_org_id, expires_at);
CREATE INDEX referrals_from ON referrals (from_org_id, id);
CREATE INDEX referrals_record ON referrals (record_id);

-- The SOP checklist of a case (internal/sop): one row per step of each
-- procedure instantiated on the case, with its deadline.
CREATE TABLE case_steps (
	case_id      TEXT NOT NULL REFERENCES records (id),
	procedure_id TEXT NOT NULL,
	version      INTEGER NOT NULL,
	step_id      TEXT NOT NULL,
	owner_role   TEXT NOT NULL,
	due_at       TIMESTAMP,
	status       TEXT NOT NULL DEFAULT 'open',
	done_at      TIMESTAMP,
	done_by      TEXT NOT NULL DEFAULT '',
	evidence     TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT '',
	notified_at  TIMESTAMP,
	PRIMARY KEY (case_id, procedure_id, step_id)
);
-- The overdue dashboard and the deadline sweeper: open steps by due time.
CREATE INDEX case_steps_due ON case_steps (due_at) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE case_steps;
DROP TABLE referrals;
DROP TABLE notifications;
DROP TABLE record_secrets;
DROP TABLE record_groups;
DROP TABLE records;
