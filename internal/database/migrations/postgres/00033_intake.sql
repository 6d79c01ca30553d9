-- Intake records (issue 4): interceptions at borders and transit points,
-- signals (helpline calls, self-referrals, partners' tips) and
-- missing-person reports. Each is a shareable record: its registry row in
-- records holds the marking, its data and its sealed protected fields. These
-- tables hold only what the lists filter and sort on — no names, phones or
-- statements, which live only in the sealed JSON.

-- +goose Up
CREATE TABLE intake_interceptions (
	id                TEXT PRIMARY KEY REFERENCES records (id),
	at                TIMESTAMPTZ NOT NULL,
	point             TEXT NOT NULL,
	district          TEXT NOT NULL DEFAULT '',
	catalogue_version INTEGER NOT NULL,
	score             INTEGER NOT NULL,
	certainty         INTEGER NOT NULL CHECK (certainty BETWEEN 1 AND 5),
	prompted          BOOLEAN NOT NULL DEFAULT FALSE,
	recorded_by       TEXT NOT NULL,
	-- verification: '' until a second person looked, then 'verified' or 'rejected'.
	verification      TEXT NOT NULL DEFAULT '' CHECK (verification IN ('', 'verified', 'rejected')),
	verified_by       TEXT NOT NULL DEFAULT '',
	verified_at       TIMESTAMPTZ
);
CREATE INDEX intake_interceptions_verification ON intake_interceptions (verification, id);
CREATE INDEX intake_interceptions_district ON intake_interceptions (district, id);

CREATE TABLE intake_signals (
	id          TEXT PRIMARY KEY REFERENCES records (id),
	channel     TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('open', 'closed', 'converted')),
	received_at TIMESTAMPTZ NOT NULL,
	district    TEXT NOT NULL DEFAULT '',
	urgent      BOOLEAN NOT NULL DEFAULT FALSE,
	case_id     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX intake_signals_status ON intake_signals (status, id);

CREATE TABLE intake_missing (
	id           TEXT PRIMARY KEY REFERENCES records (id),
	status       TEXT NOT NULL CHECK (status IN ('open', 'found')),
	reported_at  TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ,
	last_seen_in TEXT NOT NULL DEFAULT '',
	found_at     TIMESTAMPTZ
);
CREATE INDEX intake_missing_status ON intake_missing (status, id);

-- +goose Down
DROP TABLE intake_missing;
DROP TABLE intake_signals;
DROP TABLE intake_interceptions;
