package database

// CareService stores and serves SOP checklists and deadlines, repatriation and hand-overs, care plans and follow-ups, the legal track (issue 4).
type CareService struct{ db *DB }

// NewCareService returns the service on db.
func NewCareService(db *DB) *CareService { return &CareService{db: db} }
