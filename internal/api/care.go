package api

// Operations of SOP checklists and deadlines, repatriation and hand-overs, care plans and follow-ups, the legal track (issue 4).

// registerCare registers this area's operations.
func (s *server) registerCare() {}
