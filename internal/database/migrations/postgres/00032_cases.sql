-- Persons and cases (issue 4). The records themselves live in the records
-- registry (00030): these tables hold only what case lists filter, sort and
-- search on, keyed by the registry id, and never a person's name, contact
-- or statement in clear.

-- +goose Up
CREATE TABLE cases (
	id              TEXT PRIMARY KEY REFERENCES records (id),
	owner_org_id    TEXT NOT NULL REFERENCES orgs (id),
	status          TEXT NOT NULL,
	stage           TEXT NOT NULL,
	intake_channel  TEXT NOT NULL,
	intake_at       TIMESTAMPTZ NOT NULL,
	intake_district TEXT NOT NULL,
	case_type       TEXT NOT NULL,
	complete        BOOLEAN NOT NULL DEFAULT FALSE,
	child           BOOLEAN NOT NULL DEFAULT FALSE,
	-- intake_key: the quick intake's client key; a repeated send finds the
	-- case it already made. NULL for cases not from a quick intake.
	intake_key      TEXT,
	-- search: the case's reference-class words (reference, codes, place
	-- codes), lower case, for the list's text search. No protected field.
	search          TEXT NOT NULL DEFAULT '',
	UNIQUE (owner_org_id, intake_key)
);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_stage ON cases (stage, id);
CREATE INDEX cases_district ON cases (intake_district, id);
CREATE INDEX cases_type ON cases (case_type, id);
CREATE INDEX cases_owner ON cases (owner_org_id, id);

-- The owner's users working a case: "mine" in the case list.
CREATE TABLE case_assignees (
	case_id TEXT NOT NULL REFERENCES cases (id),
	user_id TEXT NOT NULL,
	PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignees_user ON case_assignees (user_id, case_id);

CREATE TABLE persons (
	id            TEXT PRIMARY KEY REFERENCES records (id),
	owner_org_id  TEXT NOT NULL REFERENCES orgs (id),
	roles         TEXT NOT NULL DEFAULT '',
	sex           TEXT NOT NULL DEFAULT '',
	age_band      TEXT NOT NULL DEFAULT '',
	home_district TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_owner ON persons (owner_org_id, id);

-- Which persons a case names, and as what (victim, suspect).
CREATE TABLE case_persons (
	case_id   TEXT NOT NULL REFERENCES cases (id),
	person_id TEXT NOT NULL REFERENCES persons (id),
	role      TEXT NOT NULL,
	PRIMARY KEY (case_id, person_id, role)
);
CREATE INDEX case_persons_person ON case_persons (person_id);

-- A case's timeline: every change, note, checklist and referral event.
-- summary is written without personal data; note is the user's own words,
-- sealed under the case's data key (empty when the event has none).
CREATE TABLE case_events (
	id           TEXT PRIMARY KEY,
	case_id      TEXT NOT NULL REFERENCES cases (id),
	at           TIMESTAMPTZ NOT NULL,
	kind         TEXT NOT NULL,
	by_user      TEXT NOT NULL DEFAULT '',
	by_org_id    TEXT NOT NULL DEFAULT '',
	subject_type TEXT NOT NULL DEFAULT '',
	subject_id   TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL DEFAULT '',
	note         BYTEA
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- The blind index of names: keyed tokens (deconflict.Tokenizer.Blind) of
-- each folded name part and its phonetic key, so a name search finds a
-- record whose names are sealed without any name in the database.
CREATE TABLE record_terms (
	record_id TEXT NOT NULL REFERENCES records (id),
	term      TEXT NOT NULL,
	PRIMARY KEY (term, record_id)
);
CREATE INDEX record_terms_record ON record_terms (record_id);

-- +goose Down
DROP TABLE record_terms;
DROP TABLE case_events;
DROP TABLE case_persons;
DROP TABLE persons;
DROP TABLE case_assignees;
DROP TABLE cases;
