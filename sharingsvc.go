package atip

// SharingService serves consent, referrals and transfers, access requests, break-glass, deconfliction and sightings, erasure and retention, notifications (issue 3).
// It is filled in as the work lands; the web pages and the API take it from
// their Config.
type SharingService interface{}
