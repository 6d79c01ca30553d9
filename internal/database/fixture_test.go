package database_test

import (
	"context"
	"testing"

	"atip"
	"atip/internal/database"
)

// world is two organisations with a user of every role in each.
type world struct {
	db         *database.DB
	orgs       *database.OrgService
	users      *database.UserService
	op         context.Context
	orgA, orgB *atip.Org
	// users by org ("A" or "B") and role
	u map[string]map[atip.Role]*atip.User
}

const testPassword = "correct horse battery"

func newWorld(t *testing.T, db *database.DB) *world {
	t.Helper()
	w := &world{
		db: db, orgs: database.NewOrgService(db), users: database.NewUserService(db),
		op: atip.OperatorContext(context.Background()),
		u:  map[string]map[atip.Role]*atip.User{},
	}
	w.orgA = &atip.Org{Name: "Test AHTU Sitamarhi", Type: atip.OrgAHTU, Jurisdiction: "IN-BR-SITAMARHI"}
	w.orgB = &atip.Org{Name: "Test Shelter Kathmandu", Type: atip.OrgShelterNGO, Jurisdiction: "NP-P3-KATHMANDU"}
	for _, o := range []*atip.Org{w.orgA, w.orgB} {
		if err := w.orgs.CreateOrg(w.op, o); err != nil {
			t.Fatalf("create org: %v", err)
		}
	}
	for tag, o := range map[string]*atip.Org{"A": w.orgA, "B": w.orgB} {
		w.u[tag] = map[atip.Role]*atip.User{}
		for _, r := range atip.Roles {
			u := &atip.User{OrgID: o.ID, Login: tag + "-" + string(r), Name: "Test " + string(r), Roles: []atip.Role{r}}
			if err := w.users.CreateUser(w.op, u, testPassword); err != nil {
				t.Fatalf("create user %s: %v", u.Login, err)
			}
			w.u[tag][r] = u
		}
	}
	return w
}

// as returns a context in which the user of org tag with role r acts.
func (w *world) as(tag string, r atip.Role) context.Context {
	u := w.u[tag][r]
	o := w.orgA
	if tag == "B" {
		o = w.orgB
	}
	return atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Org: o, Via: atip.ViaWeb, RemoteAddr: "192.0.2.1"})
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := atip.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, atip.EINVALID)
	e := err.(*atip.Error)
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name field %q", err, field)
}
