package policy

import "atip"

// CheckMatchRequest decides whether the actor may ask for the classes of a
// record it cannot see, on the strength of a deconfliction match its own
// organisation holds: both organisations were told the match exists and
// whom to ask, so asking reveals nothing new. The caller has checked that
// the match is the actor's organisation's. The owner then decides, as for
// any access request (GrantFromRequest).
func (s *Subject) CheckMatchRequest(classes []atip.FieldClass, purpose atip.Purpose, reason string) error {
	if s.disabled || s.operator {
		return notFound()
	}
	var inv atip.Invalid
	if len(classes) == 0 {
		inv.Add("classes", "name what you need to see")
	}
	for _, c := range classes {
		switch {
		case !c.Valid():
			inv.Add("classes", "unknown field class %q", c)
		case !s.rights.view.Has(c):
			inv.Add("classes", "your role does not need %s", c)
		}
	}
	if !purpose.Valid() {
		inv.Add("purpose", "choose a purpose")
	}
	checkReason(&inv, reason)
	return inv.Err()
}
