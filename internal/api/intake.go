package api

// Operations of signals, interceptions at borders and transit points, missing-person reports (issue 4).

// registerIntake registers this area's operations.
func (s *server) registerIntake() {}
