package api

// Operations of persons, cases (victims, suspects, incidents), notes, timeline, quick intake, case list and search, printable summary (issue 4).

// registerCases registers this area's operations.
func (s *server) registerCases() {}
