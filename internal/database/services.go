package database

import (
	"context"

	"atip"
)

// Services bundles the domain services on one database, for the commands
// that serve them (serve, demo, the API). Each can also be made alone with
// its New… function.
type Services struct {
	Orgs   *OrgService
	Users  *UserService
	Auth   *AuthService
	Tokens *TokenService
	Audit  *AuditService
	Groups *GroupService
}

// NewServices returns every service on db.
func NewServices(db *DB, auth AuthConfig) *Services {
	return &Services{
		Orgs:   NewOrgService(db),
		Users:  NewUserService(db),
		Auth:   NewAuthService(db, auth),
		Tokens: NewTokenService(db),
		Audit:  NewAuditService(db),
		Groups: NewGroupService(db),
	}
}

// Audit appends one entry in a transaction of its own: for events that
// change nothing else, such as a view of a record holding personal data.
// Actor fields left blank are filled from the actor in ctx.
func (db *DB) Audit(ctx context.Context, e atip.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		tx.Audit(e)
		return nil
	})
}
