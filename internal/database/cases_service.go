package database

// CaseService stores and serves persons, cases (victims, suspects, incidents), notes, timeline, quick intake, case list and search, printable summary (issue 4).
type CaseService struct{ db *DB }

// NewCaseService returns the service on db.
func NewCaseService(db *DB) *CaseService { return &CaseService{db: db} }
