-- Sharing groups (issue 3): organisations that share records under a written
-- data-sharing agreement, for a purpose, until an expiry. The organisation
-- that creates a group runs it and is its first accepted member; others are
-- invited and accept or decline; members may leave. Rows are never deleted:
-- a membership's history (invited, answered, left) is what the audit trail
-- points to.

-- +goose Up
CREATE TABLE sharing_groups (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	agreement    TEXT NOT NULL,
	owner_org_id TEXT NOT NULL REFERENCES orgs (id),
	expires_at   TIMESTAMP NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	updated_by   TEXT NOT NULL
);
CREATE INDEX sharing_groups_owner ON sharing_groups (owner_org_id);

CREATE TABLE sharing_group_members (
	group_id    TEXT NOT NULL REFERENCES sharing_groups (id),
	org_id      TEXT NOT NULL REFERENCES orgs (id),
	status      TEXT NOT NULL CHECK (status IN ('invited', 'accepted', 'declined', 'left')),
	invited_by  TEXT NOT NULL,
	invited_at  TIMESTAMP NOT NULL,
	answered_by TEXT NOT NULL DEFAULT '',
	answered_at TIMESTAMP,
	left_at     TIMESTAMP,
	PRIMARY KEY (group_id, org_id)
);
-- "Which groups is my organisation in?" is asked on every page that
-- decides visibility.
CREATE INDEX sharing_group_members_org ON sharing_group_members (org_id, status);

-- +goose Down
DROP TABLE sharing_group_members;
DROP TABLE sharing_groups;
