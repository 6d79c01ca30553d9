package web

// Pages of consent, referrals and transfers, access requests, break-glass, deconfliction and sightings, erasure and retention, notifications (issue 3).

func init() { routeAreas = append(routeAreas, (*Server).sharingRoutes) }

// sharingRoutes lists the pages of this area; see routeTable.
func (s *Server) sharingRoutes() []route { return nil }
