package web

// Pages of SOP checklists and deadlines, repatriation and hand-overs, care plans and follow-ups, the legal track (issue 4).

func init() { routeAreas = append(routeAreas, (*Server).careRoutes) }

// careRoutes lists the pages of this area; see routeTable.
func (s *Server) careRoutes() []route { return nil }
