package api

// Operations of consent, referrals and transfers, access requests, break-glass, deconfliction and sightings, erasure and retention, notifications (issue 3).

// registerSharing registers this area's operations.
func (s *server) registerSharing() {}
