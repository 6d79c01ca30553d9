-- +goose Up
-- Candidate matches from the identification engine, queued for the
-- organisation that owns the new record. explanation is the engine's
-- field-by-field evidence as JSON (levels and weights, no personal data).
CREATE TABLE review_matches (
	id            TEXT PRIMARY KEY,
	org_id        TEXT NOT NULL REFERENCES orgs (id),
	record_id     TEXT NOT NULL REFERENCES records (id),
	candidate_id  TEXT NOT NULL REFERENCES records (id),
	score         DOUBLE PRECISION NOT NULL,
	explanation   TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL,
	decided_by    TEXT NOT NULL DEFAULT '',
	decided_at    TIMESTAMP,
	UNIQUE (record_id, candidate_id)
);
CREATE INDEX review_matches_queue ON review_matches (org_id, status, id);
CREATE INDEX review_matches_candidate ON review_matches (candidate_id);

-- Records confirmed to be the same person (a reviewer's decision).
CREATE TABLE record_links (
	record_id    TEXT NOT NULL REFERENCES records (id),
	linked_id    TEXT NOT NULL REFERENCES records (id),
	match_id     TEXT NOT NULL REFERENCES review_matches (id),
	retrafficked BOOLEAN NOT NULL DEFAULT FALSE,
	created_at   TIMESTAMP NOT NULL,
	created_by   TEXT NOT NULL,
	PRIMARY KEY (record_id, linked_id)
);
CREATE INDEX record_links_linked ON record_links (linked_id);

-- +goose Down
DROP TABLE record_links;
DROP TABLE review_matches;
