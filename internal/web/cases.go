package web

// Pages of persons, cases (victims, suspects, incidents), notes, timeline, quick intake, case list and search, printable summary (issue 4).

func init() { routeAreas = append(routeAreas, (*Server).casesRoutes) }

// casesRoutes lists the pages of this area; see routeTable.
func (s *Server) casesRoutes() []route { return nil }
