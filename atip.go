// Package atip holds the domain of the Anti-Trafficking in Persons Platform:
// its types, the contracts of its services, and its error codes. It depends on
// nothing but the standard library (and an id generator), so that every other
// package can speak in its terms without importing storage or HTTP.
//
// Implementations live in packages named for what they use: the database
// package implements the services on SQLite and PostgreSQL, the web package
// serves them over HTTP. Authorisation is decided by the policy package and
// enforced inside the service implementations, from the Actor in the context.
package atip

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// NewID returns a new unique identifier: a UUIDv7 in its canonical text form.
// UUIDv7 ids sort by creation time, which keeps B-tree inserts local and lets
// cursor pagination order by id.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Stamp records who made and last changed a row, and when. Every row that
// users create carries one. Times are UTC.
type Stamp struct {
	CreatedAt time.Time
	CreatedBy string // user id; "system" for rows made by atip itself
	UpdatedAt time.Time
	UpdatedBy string
}

// SystemActorID is the CreatedBy of rows made by atip itself (migrations,
// demo seeding, the command line run by the machine's operator).
const SystemActorID = "system"

// Via says through which door an action came in; the audit trail records it.
type Via string

const (
	ViaWeb Via = "web"
	ViaAPI Via = "api"
	ViaCLI Via = "cli"
)

// Actor is who is acting: a signed-in user, an API token's user, or the
// operator at the command line (User nil, Via ViaCLI). Services read it from
// the context to authorise and to audit.
type Actor struct {
	User       *User
	Org        *Org
	Via        Via
	RemoteAddr string   // client address as seen by the server ("" on the CLI)
	TokenID    string   // API token id when Via is ViaAPI
	Scopes     []string // the token's scopes when Via is ViaAPI
}

// UserID returns the acting user's id, or SystemActorID for the operator.
func (a *Actor) UserID() string {
	if a == nil || a.User == nil {
		return SystemActorID
	}
	return a.User.ID
}

// IsOperator reports whether the actor is the machine's operator at the
// command line, who may do anything (they can read the database file anyway);
// their actions are audited all the same.
func (a *Actor) IsOperator() bool { return a != nil && a.User == nil && a.Via == ViaCLI }

type actorKey struct{}

// NewContextWithActor returns a copy of ctx that carries the actor.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx, or nil when nobody is signed in.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// OperatorContext returns a context for the command-line operator.
func OperatorContext(ctx context.Context) context.Context {
	return NewContextWithActor(ctx, &Actor{Via: ViaCLI})
}
