package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/textnorm"
)

// The parsers in this file read what browsers send. They never panic, and
// they report every bad field by its form name so the page can show the
// message beside the input.

// localPath returns next when it is a path on this site, and "/" otherwise:
// a sign-in page that redirects anywhere it is told is an open redirect.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !utf8.ValidString(next) {
		return "/"
	}
	return next
}

// field reads a text field, trimmed, with native digits left as typed.
func field(v url.Values, name string) string { return strings.TrimSpace(v.Get(name)) }

// maxField is the longest text a one-line field accepts.
const maxField = 200

func checkLen(inv *atip.Invalid, name, value string, required bool) {
	switch {
	case required && value == "":
		inv.Add(name, "is required")
	case utf8.RuneCountInString(value) > maxField:
		inv.Add(name, "is longer than %d characters", maxField)
	case !utf8.ValidString(value):
		inv.Add(name, "is not valid text")
	}
}

// orgForm is the organisation form as typed.
type orgForm struct {
	Name         string
	Type         atip.OrgType
	Jurisdiction string
	Disabled     bool
}

func parseOrgForm(v url.Values) (orgForm, error) {
	f := orgForm{
		Name:         field(v, "name"),
		Type:         atip.OrgType(field(v, "type")),
		Jurisdiction: field(v, "jurisdiction"),
		Disabled:     v.Get("disabled") == "on",
	}
	var inv atip.Invalid
	checkLen(&inv, "name", f.Name, true)
	if !f.Type.Valid() {
		inv.Add("type", "choose a type from the list")
	}
	checkLen(&inv, "jurisdiction", f.Jurisdiction, true)
	return f, inv.Err()
}

// parseRoles reads the checked role boxes; unknown values are an error, not
// silently dropped, so a forged form cannot pass unnoticed.
func parseRoles(v url.Values, name string) ([]atip.Role, error) {
	var roles []atip.Role
	var inv atip.Invalid
	seen := map[atip.Role]bool{}
	for _, s := range v[name] {
		r := atip.Role(strings.TrimSpace(s))
		if !r.Valid() {
			inv.Add(name, "unknown role")
			continue
		}
		if !seen[r] {
			seen[r] = true
			roles = append(roles, r)
		}
	}
	return roles, inv.Err()
}

// userForm is the user form as typed.
type userForm struct {
	Login    string
	Name     string
	OrgID    string
	Roles    []atip.Role
	Lang     string
	Password string
}

func parseUserForm(v url.Values, creating bool) (userForm, error) {
	f := userForm{
		Login: strings.ToLower(field(v, "login")),
		Name:  field(v, "name"),
		OrgID: field(v, "org"),
		Lang:  field(v, "lang"),
	}
	var inv atip.Invalid
	if creating {
		checkLen(&inv, "login", f.Login, true)
		if strings.ContainsAny(f.Login, " \t") {
			inv.Add("login", "must not contain spaces")
		}
		f.Password = v.Get("password")
		if utf8.RuneCountInString(f.Password) < 12 {
			inv.Add("password", "must be at least 12 characters")
		}
		if len(f.Password) > 1024 {
			inv.Add("password", "is too long")
		}
	}
	checkLen(&inv, "name", f.Name, true)
	roles, err := parseRoles(v, "roles")
	if err != nil {
		inv.Add("roles", "unknown role")
	}
	if len(roles) == 0 {
		inv.Add("roles", "choose at least one role")
	}
	f.Roles = roles
	if f.Lang == "" {
		f.Lang = "en"
	}
	if !langValid(f.Lang) {
		inv.Add("lang", "choose a language from the list")
	}
	return f, inv.Err()
}

func langValid(l string) bool {
	for _, x := range atip.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// passwordForm is the own-password change.
type passwordForm struct {
	Current, New string
}

func parsePasswordForm(v url.Values) (passwordForm, error) {
	f := passwordForm{Current: v.Get("current"), New: v.Get("new")}
	var inv atip.Invalid
	if f.Current == "" {
		inv.Add("current", "is required")
	}
	if utf8.RuneCountInString(f.New) < 12 {
		inv.Add("new", "must be at least 12 characters")
	} else if len(f.New) > 1024 {
		inv.Add("new", "is too long")
	}
	if v.Get("confirm") != f.New {
		inv.Add("confirm", "does not match the new password")
	}
	return f, inv.Err()
}

// code reads a TOTP or recovery code: native digits become ASCII, spaces
// and dashes typed for readability go.
func parseCode(s string) string {
	s = textnorm.Clean(s)
	var b strings.Builder
	for _, r := range s {
		if r == ' ' || r == '-' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tokenForm is a new API token.
type tokenForm struct {
	Name    string
	Scopes  []string
	Expires time.Time
}

// tokenScopes are the scopes a token may carry.
var tokenScopes = []string{"read", "write"}

func parseTokenForm(v url.Values, now time.Time) (tokenForm, error) {
	f := tokenForm{Name: field(v, "name")}
	var inv atip.Invalid
	checkLen(&inv, "name", f.Name, true)
	for _, s := range v["scopes"] {
		ok := false
		for _, x := range tokenScopes {
			if s == x {
				ok = true
			}
		}
		if !ok {
			inv.Add("scopes", "unknown scope")
			continue
		}
		f.Scopes = append(f.Scopes, s)
	}
	if len(f.Scopes) == 0 {
		inv.Add("scopes", "choose at least one scope")
	}
	days, err := strconv.Atoi(textnorm.Clean(field(v, "days")))
	if err != nil || days < 1 || days > 365 {
		inv.Add("days", "must be a whole number of days from 1 to 365")
	} else {
		f.Expires = now.Add(time.Duration(days) * 24 * time.Hour)
	}
	return f, inv.Err()
}

// auditPageSize is how many audit entries one page shows; the export
// flushes to the client every auditExportFlush rows.
const (
	auditPageSize    = 50
	auditExportFlush = 1000
)

// parseAuditFilter reads the audit view's filters from the query string.
// Dates are whole days in loc, the viewer's zone; "until" includes its day.
func parseAuditFilter(q url.Values, loc *time.Location) (atip.AuditFilter, error) {
	f := atip.AuditFilter{
		ActorID:    field(q, "actor"),
		ActorOrgID: field(q, "org"),
		Action:     field(q, "action"),
		RecordType: field(q, "rtype"),
		RecordID:   field(q, "record"),
		Limit:      auditPageSize,
	}
	var inv atip.Invalid
	for name, val := range map[string]string{"actor": f.ActorID, "org": f.ActorOrgID, "action": f.Action, "rtype": f.RecordType, "record": f.RecordID} {
		checkLen(&inv, name, val, false)
	}
	if s := field(q, "since"); s != "" {
		t, err := time.ParseInLocation("2006-01-02", textnorm.Clean(s), loc)
		if err != nil {
			inv.Add("since", "is not a date (YYYY-MM-DD)")
		}
		f.Since = t.UTC()
	}
	if s := field(q, "until"); s != "" {
		t, err := time.ParseInLocation("2006-01-02", textnorm.Clean(s), loc)
		if err != nil {
			inv.Add("until", "is not a date (YYYY-MM-DD)")
		} else {
			f.Until = t.AddDate(0, 0, 1).UTC()
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		inv.Add("until", "is before the start date")
	}
	if s := field(q, "before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			inv.Add("before", "is not a position in the trail")
		}
		f.Before = n
	}
	return f, inv.Err()
}

// parseLocal reads a datetime-local value (or a date) in the actor's zone,
// for every form that asks when something happened.
func parseLocal(r *http.Request, inv *atip.Invalid, name, value string, required bool) time.Time {
	if value == "" {
		if required {
			inv.Add(name, "is required")
		}
		return time.Time{}
	}
	loc := zoneFor(stateOf(r).actor)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, value, loc); err == nil && t.Year() >= 1900 && t.Year() <= 9000 {
			return t.UTC()
		}
	}
	inv.Add(name, "form.err.datetime")
	return time.Time{}
}
