package web

// Pages of signals, interceptions at borders and transit points, missing-person reports (issue 4).

func init() { routeAreas = append(routeAreas, (*Server).intakeRoutes) }

// intakeRoutes lists the pages of this area; see routeTable.
func (s *Server) intakeRoutes() []route { return nil }
