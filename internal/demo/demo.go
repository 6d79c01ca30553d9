// Package demo seeds a database with clearly synthetic demonstration data:
// organisations whose names all begin with "Demo", in real jurisdictions,
// and a user for every role with a known password. It must never be run on
// a database holding real data; `atip demo` runs it on a throw-away file.
//
// Seeding is idempotent: organisations and users that exist already (by
// name and login) are kept, so a second run only reports the logins.
package demo

import (
	"context"
	"fmt"
	"time"

	"atip"
	"atip/internal/database"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Login is a demo account to print for whoever runs the demo.
type Login struct {
	Login    string
	Password string
	Name     string
	Org      string
	Roles    []atip.Role
	// TOTPSecret is set for the one account that shows two-factor sign-in:
	// add it to an authenticator app (or use TOTPURL as a QR code).
	TOTPSecret string
	TOTPURL    string
}

// Prefix starts the name of every demo organisation, so that demo data is
// recognisable wherever it shows up.
const Prefix = "Demo "

// Orgs are the demo organisations: one of most types, in the places the
// field works in.
var Orgs = []atip.Org{
	{Name: "Demo SSB Border Outpost Raxaul", Type: atip.OrgBorderUnit, Jurisdiction: "IN-BR-EAST_CHAMPARAN"},
	{Name: "Demo AHTU Sitamarhi", Type: atip.OrgAHTU, Jurisdiction: "IN-BR-SITAMARHI"},
	{Name: "Demo CWC Kolkata", Type: atip.OrgCWC, Jurisdiction: "IN-WB-KOLKATA"},
	{Name: "Demo Shelter Siliguri", Type: atip.OrgShelterNGO, Jurisdiction: "IN-WB-DARJEELING"},
	{Name: "Demo Nepal Police Women & Children Service Centre Kathmandu", Type: atip.OrgPolice, Jurisdiction: "NP-P3-KATHMANDU"},
	{Name: "Demo Department of Women & Child Development West Bengal", Type: atip.OrgGovernment, Jurisdiction: "IN-WB"},
	{Name: "Demo Public Prosecutor Patna", Type: atip.OrgProsecution, Jurisdiction: "IN-BR-PATNA"},
	{Name: "Demo Migration Agency Office Dhaka", Type: atip.OrgInternational, Jurisdiction: "BD-C-DHAKA"},
}

// demoTOTPSecret is fixed so that re-running the seed reports the same
// secret. It protects only synthetic demo data.
const demoTOTPSecret = "DEMODEMODEMODEMODEMODEMODEMODEMO"

type demoUser struct {
	login, name, org string
	roles            []atip.Role
	totp             bool
}

var users = []demoUser{
	{"demo.admin", "Demo Platform Admin", "Demo Department of Women & Child Development West Bengal", []atip.Role{atip.RolePlatformAdmin}, false},
	{"demo.orgadmin", "Demo AHTU Admin", "Demo AHTU Sitamarhi", []atip.Role{atip.RoleOrgAdmin}, false},
	{"demo.supervisor", "Demo AHTU Inspector", "Demo AHTU Sitamarhi", []atip.Role{atip.RoleSupervisor}, true},
	{"demo.caseworker", "Demo Shelter Caseworker", "Demo Shelter Siliguri", []atip.Role{atip.RoleCaseworker}, false},
	{"demo.responder", "Demo BOP Constable", "Demo SSB Border Outpost Raxaul", []atip.Role{atip.RoleFirstResponder}, false},
	{"demo.analyst", "Demo Data Analyst", "Demo Migration Agency Office Dhaka", []atip.Role{atip.RoleAnalyst}, false},
	{"demo.auditor", "Demo Auditor", "Demo Department of Women & Child Development West Bengal", []atip.Role{atip.RoleAuditor}, false},
	{"demo.cwc", "Demo CWC Member", "Demo CWC Kolkata", []atip.Role{atip.RoleSupervisor, atip.RoleCaseworker}, false},
	{"demo.nepal", "Demo WCSC Officer", "Demo Nepal Police Women & Children Service Centre Kathmandu", []atip.Role{atip.RoleCaseworker}, false},
}

// password returns the demo password of a login: known, printed, and
// long enough for the password policy.
func password(login string) string { return "synthetic-" + login[len("demo."):] + "-2026" }

// Seed creates the demo organisations and users (those missing) and returns
// every demo login with its password. It acts as the command-line operator,
// so everything it creates is in the audit trail.
func Seed(ctx context.Context, db *database.DB) ([]Login, error) {
	op := atip.OperatorContext(ctx)
	orgs := database.NewOrgService(db)
	usvc := database.NewUserService(db)
	auth := database.NewAuthService(db, database.DefaultAuthConfig())

	byName := map[string]*atip.Org{}
	for _, tmpl := range Orgs {
		o := tmpl
		found, _, err := orgs.FindOrgs(op, atip.OrgFilter{Query: o.Name, Limit: 10})
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if f.Name == o.Name {
				byName[o.Name] = f
			}
		}
		if byName[o.Name] != nil {
			continue
		}
		if err := orgs.CreateOrg(op, &o); err != nil {
			return nil, fmt.Errorf("demo org %q: %w", o.Name, err)
		}
		byName[o.Name] = &o
	}

	var out []Login
	for _, d := range users {
		org := byName[d.org]
		l := Login{Login: d.login, Password: password(d.login), Name: d.name, Org: org.Name, Roles: d.roles}
		u, err := usvc.FindUserByLogin(op, d.login)
		if atip.ErrorCode(err) == atip.ENOTFOUND {
			u = &atip.User{OrgID: org.ID, Login: d.login, Name: d.name, Roles: d.roles, Lang: "en"}
			if err := usvc.CreateUser(op, u, l.Password); err != nil {
				return nil, fmt.Errorf("demo user %s: %w", d.login, err)
			}
		} else if err != nil {
			return nil, err
		}
		if d.totp {
			l.TOTPSecret = demoTOTPSecret
			key, err := otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/ATIP:%s?secret=%s&issuer=ATIP&algorithm=SHA1&digits=6&period=30", d.login, demoTOTPSecret))
			if err != nil {
				return nil, err
			}
			l.TOTPURL = key.URL()
			if !u.TOTPEnabled {
				// Confirming with the code of the previous step leaves the
				// current one free for the first sign-in.
				code, err := totp.GenerateCodeCustom(demoTOTPSecret, db.Now().Add(-30*time.Second),
					totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
				if err != nil {
					return nil, err
				}
				uctx := atip.NewContextWithActor(ctx, &atip.Actor{User: u, Via: atip.ViaCLI})
				if _, _, err := auth.ConfirmTOTP(uctx, "", demoTOTPSecret, code); err != nil {
					return nil, fmt.Errorf("demo two-factor for %s: %w", d.login, err)
				}
			}
		}
		out = append(out, l)
	}
	return out, nil
}
