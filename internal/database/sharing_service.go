package database

// SharingService stores and serves consent, referrals and transfers, access requests, break-glass, deconfliction and sightings, erasure and retention, notifications (issue 3).
type SharingService struct{ db *DB }

// NewSharingService returns the service on db.
func NewSharingService(db *DB) *SharingService { return &SharingService{db: db} }
