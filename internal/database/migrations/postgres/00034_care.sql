-- Care (issue 4): the SOP checklist of a case as the sop package computes
-- it, and organisations' own versions of the procedures.

-- +goose Up
-- The whole checklist of a case (sop.Checklist as JSON: procedure refs,
-- intake and journey time, events, every step with its copied deadline),
-- so that steps counting from other steps are recomputed from what the case
-- was instantiated with, whatever the procedures say later. case_steps
-- mirrors its steps for the dashboard and the sweeper. It holds step keys
-- and times only, never personal data.
CREATE TABLE care_checklists (
	case_id    TEXT PRIMARY KEY REFERENCES records (id),
	checklist  TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- An organisation's own versions of a procedure (the YAML text, validated
-- by internal/sop); the newest applies to the organisation's new cases.
CREATE TABLE org_procedures (
	org_id       TEXT NOT NULL REFERENCES orgs (id),
	procedure_id TEXT NOT NULL,
	version      INTEGER NOT NULL,
	source       TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	PRIMARY KEY (org_id, procedure_id, version)
);

-- The care work of a case (issue 4, sections 5-7): repatriations, care
-- plans, follow-up visits and the legal track, one row each (kind). They
-- are seen as their case is (the case's policy view); data is the JSON
-- with the protected classes blanked, sealed the whole JSON under the
-- case's own data key, so erasing the case makes them unreadable too.
-- due_at and done_at are a follow-up's, for the missed-visit list.
CREATE TABLE care_docs (
	id           TEXT PRIMARY KEY,
	case_id      TEXT NOT NULL REFERENCES records (id),
	kind         TEXT NOT NULL CHECK (kind IN ('repatriation', 'care_plan', 'follow_up', 'legal')),
	owner_org_id TEXT NOT NULL REFERENCES orgs (id),
	due_at       TIMESTAMPTZ,
	done_at      TIMESTAMPTZ,
	data         TEXT NOT NULL,
	sealed       BYTEA NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	updated_by   TEXT NOT NULL
);
CREATE INDEX care_docs_case ON care_docs (case_id, kind, id);
-- Missed follow-ups: open visits by due time, per organisation.
CREATE INDEX care_docs_due ON care_docs (owner_org_id, due_at) WHERE done_at IS NULL;

-- Hand-overs of a person between organisations (atip.HandOver): both sides
-- see the row; the receiver confirms receipt, which gives it the case by a
-- referral (referral_id). Reference data only: places, times, user ids.
CREATE TABLE care_handovers (
	id              TEXT PRIMARY KEY,
	case_id         TEXT NOT NULL REFERENCES records (id),
	repatriation_id TEXT NOT NULL REFERENCES care_docs (id),
	from_org_id     TEXT NOT NULL REFERENCES orgs (id),
	to_org_id       TEXT NOT NULL REFERENCES orgs (id),
	place           TEXT NOT NULL,
	at              TIMESTAMPTZ NOT NULL,
	handed_by       TEXT NOT NULL,
	received_by     TEXT NOT NULL DEFAULT '',
	confirmed_at    TIMESTAMPTZ,
	referral_id     TEXT NOT NULL DEFAULT '',
	note            TEXT NOT NULL DEFAULT '',
	created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX care_handovers_to ON care_handovers (to_org_id, id);
CREATE INDEX care_handovers_from ON care_handovers (from_org_id, id);
CREATE INDEX care_handovers_case ON care_handovers (case_id);

-- +goose Down
DROP TABLE care_handovers;
DROP TABLE care_docs;
DROP TABLE org_procedures;
DROP TABLE care_checklists;
