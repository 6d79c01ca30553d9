package database

// IntakeService stores and serves signals, interceptions at borders and transit points, missing-person reports (issue 4).
type IntakeService struct{ db *DB }

// NewIntakeService returns the service on db.
func NewIntakeService(db *DB) *IntakeService { return &IntakeService{db: db} }
