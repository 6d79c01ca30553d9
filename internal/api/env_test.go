package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// env is the API on a real database: two organisations, A and B, with a
// user of every role in each, and API tokens for them.
type env struct {
	t          testing.TB
	db         *database.DB
	h          http.Handler
	svc        api.Services
	op         context.Context
	orgA, orgB *atip.Org
	users      map[string]map[atip.Role]*atip.User // by org tag and role
	rw         map[string]map[atip.Role]string     // read+write token secrets, by org tag and role
}

const (
	sessionCookie = "atip_session"
	testPassword  = "correct horse battery staple"
)

func newEnv(t testing.TB, e database.Engine) *env {
	t.Helper()
	db := dbtest.Open(t, e)
	svc := api.Services{
		Orgs: database.NewOrgService(db), Users: database.NewUserService(db),
		Auth: database.NewAuthService(db, database.AuthConfig{}), Tokens: database.NewTokenService(db),
		Audit: database.NewAuditService(db),
	}
	env := &env{
		t: t, db: db, svc: svc, op: atip.OperatorContext(context.Background()),
		h:     api.New(api.Config{Services: svc, Version: "test", SessionCookie: sessionCookie}),
		users: map[string]map[atip.Role]*atip.User{}, rw: map[string]map[atip.Role]string{},
	}
	env.orgA = env.org("Test AHTU Sitamarhi", atip.OrgAHTU, "IN-BR-SITAMARHI")
	env.orgB = env.org("Test Shelter Kathmandu", atip.OrgShelterNGO, "NP-P3-KATHMANDU")
	for tag, o := range map[string]*atip.Org{"A": env.orgA, "B": env.orgB} {
		env.users[tag] = map[atip.Role]*atip.User{}
		env.rw[tag] = map[atip.Role]string{}
		for _, r := range atip.Roles {
			u := env.user(o, tag+"-"+string(r), r)
			env.users[tag][r] = u
			env.rw[tag][r] = env.token(u, api.ScopeRead, api.ScopeWrite)
		}
	}
	return env
}

// org creates an organisation as the operator.
func (e *env) org(name string, typ atip.OrgType, place string) *atip.Org {
	e.t.Helper()
	o := &atip.Org{Name: name, Type: typ, Jurisdiction: place}
	if err := e.svc.Orgs.CreateOrg(e.op, o); err != nil {
		e.t.Fatalf("create org: %v", err)
	}
	return o
}

// user creates a user as the operator.
func (e *env) user(o *atip.Org, login string, roles ...atip.Role) *atip.User {
	e.t.Helper()
	u := &atip.User{OrgID: o.ID, Login: login, Name: "Test " + login, Roles: roles}
	if err := e.svc.Users.CreateUser(e.op, u, testPassword); err != nil {
		e.t.Fatalf("create user %s: %v", login, err)
	}
	return u
}

// token makes an API token for u, as u does in the web UI.
func (e *env) token(u *atip.User, scopes ...string) string {
	e.t.Helper()
	ctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Via: atip.ViaWeb})
	secret, _, err := e.svc.Tokens.CreateToken(ctx, "test "+strings.Join(scopes, "+"), scopes, time.Now().Add(24*time.Hour))
	if err != nil {
		e.t.Fatalf("create token: %v", err)
	}
	return secret
}

// do sends a request with a bearer token ("" for none) and returns the
// recorded answer.
func (e *env) do(method, path, token, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := newRequest(method, path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return serve(e, req)
}

// problem is an RFC 9457 problem document as the API writes it.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// wantProblem checks that w is a well-formed problem with status and
// returns it.
func wantProblem(t testing.TB, w *httptest.ResponseRecorder, status int) problem {
	t.Helper()
	var p problem
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body is not JSON: %v; body %s", err, w.Body)
	}
	if p.Status != status || p.Title != http.StatusText(status) || p.Detail == "" {
		t.Fatalf("problem %+v: want status %d, its title, and a detail", p, status)
	}
	for _, d := range p.Errors {
		if d.Value != nil {
			t.Errorf("problem echoes the submitted value %v at %s; bodies may hold passwords or personal data", d.Value, d.Location)
		}
	}
	return p
}

// decode unmarshals a successful JSON answer.
func decode[T any](t testing.TB, w *httptest.ResponseRecorder, status int) T {
	t.Helper()
	var v T
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not the JSON expected: %v; body %s", err, w.Body)
	}
	return v
}

// eachEngine runs fn on both engines with a fresh env.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, eng := range dbtest.Engines {
		t.Run(string(eng), func(t *testing.T) { fn(t, newEnv(t, eng)) })
	}
}

// newRequest builds a request from the test client's address.
func newRequest(method, path, body string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.RemoteAddr = "192.0.2.7:41000"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// serve runs req through the API.
func serve(e *env, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}
