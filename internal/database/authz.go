package database

import (
	"context"

	"atip"
	"atip/internal/policy"
)

// otherOrg is an organisation id no real organisation has. Asking the policy
// about it tells whether a permission reaches every organisation or only
// the actor's own.
const otherOrg = "\x00another-organisation"

// actor returns the actor in ctx, or EUNAUTHORIZED when nobody is acting.
func actor(ctx context.Context) (*atip.Actor, error) {
	a := atip.ActorFromContext(ctx)
	if a == nil || (a.User == nil && !a.IsOperator()) {
		return nil, atip.Errorf(atip.EUNAUTHORIZED, "sign in first")
	}
	if a.User != nil && a.User.Disabled {
		return nil, atip.Errorf(atip.EUNAUTHORIZED, "this account is disabled")
	}
	return a, nil
}

// require checks that the actor may do action to an object of orgID, and
// answers EFORBIDDEN: for actions on objects the actor can see.
func require(a *atip.Actor, action policy.Action, orgID, what string) error {
	if policy.Can(a, action, orgID) {
		return nil
	}
	return atip.Errorf(atip.EFORBIDDEN, "your role may not %s", what)
}

// isSelf reports whether the actor is the user with id.
func isSelf(a *atip.Actor, id string) bool { return a != nil && a.User != nil && a.User.ID == id }
