// Package redact defines the redacted view of a record: what someone who may
// know a record exists, but not who it is about, gets to see. The policy
// package decides who gets it (policy.View with Level LevelRedacted, or the
// ClassReference fields of any view); this package says what it holds and
// coarsens the values that would otherwise identify a person.
//
// The redacted view is deliberately small: a pseudonymous reference, sex, an
// age band, the district, dates, and the case type — enough for a police unit
// in one district and an NGO in another to see they are working the same
// case, not enough to find the victim. It is the same set whatever the
// record type, so that a leak test can check every page against it.
//
// Apply enforces a view on a record struct whose fields carry class tags:
// it blanks what the viewer may not see, failing closed on untagged fields.
package redact

import (
	"strings"
	"time"

	"atip"
)

// View is the redacted view of a record. Every field is of ClassReference.
type View struct {
	Ref        string          // pseudonymous reference, e.g. "PER-7F3A-91C2"; never a name
	Record     atip.RecordRef  // for links; the id reveals nothing
	OwnerOrgID string          // whom to ask
	TLP        atip.TLP        // shown on every screen that carries the record
	Sex        string          // HTCDS sex code: "female", "male", "other", "unknown"
	AgeBand    string          // see AgeBand
	District   string          // gazetteer code cut to district level, see District
	CaseType   string          // form of exploitation, HTCDS code list
	Dates      map[string]Date // e.g. "reported", "rescued", "incident": dates, not times
}

// Date is a calendar date without a time of day: the hour of a rescue can
// identify it as surely as a name.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in loc (the deployment's local zone).
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// Fields names the fields of the redacted view, as forms and the API spell
// them. Anything else a record holds is withheld from a redacted reader.
var Fields = []string{"ref", "owner_org_id", "tlp", "sex", "age_band", "district", "case_type", "dates"}

// Age bands. Children's bands follow the ages that matter in law and care in
// South Asia (under 6, under 12, under 15 — the floor for work in many
// statutes — and under 18, the age of a child); adults' bands are wide, so
// that a band rarely narrows a district's cases to one person.
var bands = []struct {
	below int
	name  string
}{
	{6, "0-5"}, {12, "6-11"}, {15, "12-14"}, {18, "15-17"},
	{25, "18-24"}, {35, "25-34"}, {50, "35-49"}, {1 << 30, "50+"},
}

// Unknown is the band (and sex) of a person whose age (or sex) is not known.
const Unknown = "unknown"

// AgeBand returns the band of an age in whole years; Unknown for a negative
// age, which callers use for "not known".
func AgeBand(age int) string {
	if age < 0 {
		return Unknown
	}
	for _, b := range bands {
		if age < b.below {
			return b.name
		}
	}
	return Unknown
}

// AgeAt returns the age in whole years at t of someone born on birth, or -1
// when birth is zero or after t.
func AgeAt(birth, t time.Time) int {
	if birth.IsZero() || birth.After(t) {
		return -1
	}
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || t.Month() == birth.Month() && t.Day() < birth.Day() {
		age-- // the birthday has not come yet this year
	}
	return age
}

// Child reports whether an age band is a child's (under 18).
func Child(band string) bool {
	switch band {
	case "0-5", "6-11", "12-14", "15-17":
		return true
	}
	return false
}

// District cuts a gazetteer place code (COUNTRY-STATE-DISTRICT, e.g.
// "IN-WB-SOUTH_24_PARGANAS") to district level, so that a finer place added to
// the gazetteer later can never reach a redacted view.
func District(code string) string {
	parts := strings.SplitN(code, "-", 4)
	if len(parts) > 3 {
		parts = parts[:3]
	}
	return strings.Join(parts, "-")
}

var refPrefix = map[atip.RecordType]string{
	atip.RecordPerson: "PER", atip.RecordCase: "CAS", atip.RecordMissing: "MIS", atip.RecordTip: "TIP",
	atip.RecordAlert: "ALR", atip.RecordNetwork: "NET", atip.RecordDocument: "DOC",
	atip.RecordInterception: "INT", atip.RecordSignal: "SIG",
}

// Ref returns a short reference people can read out on the phone: a prefix
// for the type and the last eight hex digits of the id, e.g. "PER-7F3A-91C2".
// It is made from the id alone (UUIDv7: the last digits are random), never
// from a name, so it says nothing about the person; it is for reading, and
// links carry the full id.
func Ref(r atip.RecordRef) string {
	p, ok := refPrefix[r.Type]
	if !ok {
		p = "REC"
	}
	hex := make([]byte, 0, 8)
	for i := len(r.ID) - 1; i >= 0 && len(hex) < 8; i-- {
		c := r.ID[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'F':
			hex = append(hex, c)
		case c >= 'a' && c <= 'f':
			hex = append(hex, c-'a'+'A')
		}
	}
	for len(hex) < 8 {
		hex = append(hex, '0')
	}
	for i, j := 0, len(hex)-1; i < j; i, j = i+1, j-1 {
		hex[i], hex[j] = hex[j], hex[i]
	}
	return p + "-" + string(hex[:4]) + "-" + string(hex[4:])
}
