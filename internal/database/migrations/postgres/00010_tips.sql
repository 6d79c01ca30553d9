-- Online tips: public reports, officers' reports, imported posts. A tip is
-- owned by one organisation. Its score is kept in basis points (score ×
-- 10000) so that the queue's cursor compares integers exactly on both
-- engines; indicators, the score's explanation and image references are
-- JSON text written and read only by Go.

-- +goose Up
CREATE TABLE tips (
	id            TEXT PRIMARY KEY,
	org_id        TEXT NOT NULL REFERENCES orgs (id),
	ref           TEXT NOT NULL UNIQUE,
	source        TEXT NOT NULL,
	platform      TEXT NOT NULL DEFAULT '',
	url           TEXT NOT NULL DEFAULT '',
	author        TEXT NOT NULL DEFAULT '',
	contact       TEXT NOT NULL DEFAULT '',
	text          TEXT NOT NULL,
	images        TEXT NOT NULL DEFAULT '[]',
	posted_at     TIMESTAMPTZ,
	received_at   TIMESTAMPTZ NOT NULL,
	score_bp      INTEGER NOT NULL,
	score_version TEXT NOT NULL,
	indicators    TEXT NOT NULL DEFAULT '[]',
	explain       TEXT NOT NULL DEFAULT '[]',
	status        TEXT NOT NULL,
	assigned_to   TEXT REFERENCES users (id),
	merged_into   TEXT REFERENCES tips (id),
	created_at    TIMESTAMPTZ NOT NULL,
	created_by    TEXT NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL,
	updated_by    TEXT NOT NULL
);
-- The queue: one organisation's tips, best score first, then the newest
-- (ids are UUIDv7, so a larger id is a later tip).
CREATE INDEX tips_queue ON tips (org_id, score_bp DESC, id DESC);

CREATE TABLE tip_selectors (
	tip_id     TEXT NOT NULL REFERENCES tips (id),
	type       TEXT NOT NULL,
	value      TEXT NOT NULL,
	normalized TEXT NOT NULL,
	start_at   INTEGER NOT NULL,
	end_at     INTEGER NOT NULL,
	PRIMARY KEY (tip_id, type, normalized, start_at)
);
-- Network look-ups: which tips hold this selector.
CREATE INDEX tip_selectors_key ON tip_selectors (type, normalized);

CREATE TABLE tip_feedback (
	tip_id   TEXT NOT NULL REFERENCES tips (id),
	user_id  TEXT NOT NULL REFERENCES users (id),
	relevant BOOLEAN NOT NULL,
	at       TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tip_id, user_id)
);

CREATE TABLE tip_actions (
	id        TEXT PRIMARY KEY,
	tip_id    TEXT NOT NULL REFERENCES tips (id),
	kind      TEXT NOT NULL,
	reference TEXT NOT NULL DEFAULT '',
	note      TEXT NOT NULL DEFAULT '',
	by_user   TEXT NOT NULL,
	at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX tip_actions_tip ON tip_actions (tip_id, at);

-- +goose Down
DROP TABLE tip_actions;
DROP TABLE tip_feedback;
DROP TABLE tip_selectors;
DROP TABLE tips;
