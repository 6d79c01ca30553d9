package policy

import (
	"slices"

	"atip"
)

// CheckOwnerManager decides whether the actor may decide for the owner of
// the record: approve or decline access requests, review break-glass uses.
// That is a supervisor or an organisation admin at the owner (the roles
// BreakGlassNotify tells); a record the actor may not see is not found.
func (s *Subject) CheckOwnerManager(m *atip.RecordMeta) error {
	if s.operator || s.disabled {
		return notFound()
	}
	if s.View(m).Level == LevelNone {
		return notFound()
	}
	if m.OwnerOrgID != s.orgID {
		return forbidden("only the owning organisation decides")
	}
	for _, r := range s.roles {
		if slices.Contains(BreakGlassNotify, r) {
			return nil
		}
	}
	return forbidden("only the owning organisation's supervisors and admins decide")
}
