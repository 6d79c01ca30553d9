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

-- +goose Down
DROP TABLE org_procedures;
DROP TABLE care_checklists;
