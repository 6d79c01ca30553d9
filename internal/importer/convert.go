package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"atip"
	"atip/internal/codelist"
	"atip/internal/gazetteer"
	"atip/internal/phone"
	"atip/internal/redact"
)

// Problem is one thing wrong with the file, the mapping or a row. Messages
// never repeat a cell's content: a name mapped to the wrong column would
// otherwise travel into logs and reports.
type Problem struct {
	Line    int    // the row's line in the file; 0 for the mapping
	Column  string // the source column's header
	Field   string // the target field
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, "column %q", p.Column)
		if p.Field != "" {
			fmt.Fprintf(&b, " (%s)", p.Field)
		}
		b.WriteString(": ")
	} else if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Report is the outcome of a dry run: how many rows were read and every
// problem found. An import may proceed only when Problems is empty.
type Report struct {
	Rows     int
	Problems []Problem
}

// OK reports whether the rows may be imported.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Error lists the problems, one a line; a Report is an error when not OK.
func (r *Report) Error() string {
	s := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		s[i] = p.String()
	}
	return fmt.Sprintf("%d problems in %d rows:\n%s", len(r.Problems), r.Rows, strings.Join(s, "\n"))
}

// Options say how to read values and whom the records belong to.
type Options struct {
	// Now is the import time: dates after it are refused.
	Now time.Time
	// Zone is where the register's dates are local; default Asia/Kolkata.
	Zone *time.Location
	// PhoneRegion is the country assumed for phone numbers written without
	// a country code when the row gives no nationality; default "IN".
	PhoneRegion string
	// ResolvePlace turns a cell into a gazetteer code; when nil, Gazetteer
	// is used: a code, or a name (in any spelling or script the gazetteer
	// knows) that means exactly one place.
	ResolvePlace func(cell string) (code string, ok bool)
	// DefaultChannel is the intake channel of rows without one; default
	// "rescue".
	DefaultChannel string
	// Info is the marking and ownership every imported record carries.
	Info atip.RecordInfo
}

// Row is one converted row. The caller assigns ids, links VictimLink to the
// victim's id, and writes all rows in one transaction.
type Row struct {
	Line       int
	Case       atip.Case
	Victim     atip.Person
	VictimLink atip.CaseVictim
	Legal      *atip.LegalTrack // nil when the row has no FIR
}

// Convert validates every row of t under the mapping m. It returns all rows
// converted and an empty report, or no rows and a report of every problem.
func Convert(t *Table, m Mapping, o Options) ([]Row, *Report) {
	rep := &Report{Rows: len(t.Rows)}
	if ps := m.Check(t.Header); len(ps) > 0 {
		rep.Problems = ps
		return nil, rep
	}
	if o.Zone == nil {
		o.Zone = time.FixedZone("IST", 5*3600+1800)
		if loc, err := time.LoadLocation("Asia/Kolkata"); err == nil {
			o.Zone = loc
		}
	}
	if o.PhoneRegion == "" {
		o.PhoneRegion = "IN"
	}
	if o.DefaultChannel == "" {
		o.DefaultChannel = "rescue"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	col := map[string]int{}       // target field → column index
	header := map[string]string{} // target field → column header
	for i, h := range t.Header {
		if f := m[h]; f != "" {
			col[f], header[f] = i, h
		}
	}
	rows := make([]Row, 0, len(t.Rows))
	refs := map[string]int{}
	for i, rec := range t.Rows {
		line := t.Lines[i]
		rc := &rowConv{o: o, line: line, rec: rec, col: col, header: header}
		if len(rec) > len(t.Header) {
			rc.problem("", fmt.Sprintf("has %d cells but the header has %d columns", len(rec), len(t.Header)))
		}
		row := rc.convert()
		if ref := row.Case.ExternalRef; ref != "" {
			if first, dup := refs[ref]; dup {
				rc.problem("external_ref", fmt.Sprintf("the same case number as line %d", first))
			}
			refs[ref] = line
		}
		rep.Problems = append(rep.Problems, rc.problems...)
		rows = append(rows, row)
	}
	if len(rep.Problems) > 0 {
		return nil, rep
	}
	return rows, rep
}

type rowConv struct {
	o        Options
	line     int
	rec      []string
	col      map[string]int
	header   map[string]string
	problems []Problem
}

func (rc *rowConv) problem(field, msg string) {
	rc.problems = append(rc.problems, Problem{Line: rc.line, Column: rc.header[field], Field: field, Message: msg})
}

func (rc *rowConv) cell(field string) string {
	i, ok := rc.col[field]
	if !ok || i >= len(rc.rec) {
		return ""
	}
	return rc.rec[i]
}

func (rc *rowConv) text(field string) string {
	v := rc.cell(field)
	if f, _ := FieldByName(field); f.Required && v == "" {
		rc.problem(field, "is empty")
	}
	return v
}

var dateLayouts = []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05",
	"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006", "2006/01/02",
	"2 Jan 2006", "02 Jan 2006", "2 January 2006", "2-Jan-2006", "02-Jan-2006", "Jan 2, 2006", "January 2, 2006"}

func (rc *rowConv) date(field string) time.Time {
	v := rc.text(field)
	if v == "" {
		return time.Time{}
	}
	var t time.Time
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		// An Excel serial date: 1 is 1900-01-01, 60000 is 2064.
		if n < 1 || n > 60000 {
			rc.problem(field, "is a number, not a date")
			return time.Time{}
		}
		et, err := excelize.ExcelDateToTime(n, false)
		if err != nil {
			rc.problem(field, "is not a date")
			return time.Time{}
		}
		t = time.Date(et.Year(), et.Month(), et.Day(), et.Hour(), et.Minute(), et.Second(), 0, rc.o.Zone)
	} else {
		ok := false
		for _, l := range dateLayouts {
			if pt, err := time.ParseInLocation(l, v, rc.o.Zone); err == nil {
				t, ok = pt, true
				break
			}
		}
		if !ok {
			rc.problem(field, "is not a date: write it as 2026-03-01 or 01/03/2026 (day first), with a four-digit year")
			return time.Time{}
		}
	}
	switch {
	case t.After(rc.o.Now):
		rc.problem(field, "is in the future")
	case t.Year() < 1900:
		rc.problem(field, "is before 1900")
	}
	return t.UTC()
}

func (rc *rowConv) integer(field string, lo, hi int) (int, bool) {
	v := rc.text(field)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(v, ".0"), " years"))
	if err != nil || n < lo || n > hi {
		rc.problem(field, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		return 0, false
	}
	return n, true
}

// synonyms are spellings registers use for codes, beyond the code and its
// English label.
var synonyms = map[string]map[string]string{
	codelist.Sex: {"f": "female", "m": "male", "girl": "female", "boy": "male", "woman": "female", "man": "male",
		"t": "other", "tg": "other", "transgender": "other", "third_gender": "other", "": "unknown", "na": "unknown", "not_known": "unknown"},
	codelist.Exploitation: {"csec": "sexual_exploitation", "cse": "sexual_exploitation", "prostitution": "sexual_exploitation",
		"commercial_sexual_exploitation": "sexual_exploitation", "labour": "forced_labour", "labor": "forced_labour",
		"forced_labor": "forced_labour", "bonded_labour": "forced_labour", "brick_kiln": "forced_labour_brick_kiln",
		"domestic_work": "domestic_servitude", "domestic_labour": "domestic_servitude", "marriage": "forced_marriage",
		"begging": "forced_begging", "organ_trade": "organ_removal"},
	codelist.IntakeChannel: {"raid": "rescue", "rescue_operation": "rescue", "border": "interception", "call": "helpline",
		"walk_in": "self_referral", "missing": "missing_report"},
	codelist.TraffickingStatus: {"victim": "confirmed_victim", "confirmed": "confirmed_victim", "presumed": "presumed_victim",
		"potential": "presumed_victim", "potential_victim": "presumed_victim", "at_risk": "at_risk"},
}

func normCode(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '/' {
			return '_'
		}
		return r
	}, s)
}

func lookupCode(list, v string) (string, bool) {
	n := normCode(v)
	if codelist.Valid(list, n) {
		return n, true
	}
	if c, ok := synonyms[list][n]; ok {
		return c, true
	}
	for _, c := range codelist.Codes(list) {
		if normCode(c.Label) == n {
			return c.Code, true
		}
	}
	return "", false
}

func allowed(list string) string {
	cs := codelist.Codes(list)
	s := make([]string, 0, 8)
	for i, c := range cs {
		if i == 8 {
			s = append(s, "…")
			break
		}
		s = append(s, c.Code)
	}
	return strings.Join(s, ", ")
}

func (rc *rowConv) code(field, list string) string {
	v := rc.text(field)
	if v == "" {
		return ""
	}
	c, ok := lookupCode(list, v)
	if !ok {
		rc.problem(field, fmt.Sprintf("is not a %s value; use one of %s (or its label)", list, allowed(list)))
	}
	return c
}

func (rc *rowConv) codes(field, list string) []string {
	v := rc.text(field)
	var out []string
	for part := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ';' || r == ',' || r == '|' }) {
		c, ok := lookupCode(list, part)
		if !ok {
			rc.problem(field, fmt.Sprintf("has a value that is not a %s value; use %s (or their labels), separated by \";\"", list, allowed(list)))
			continue
		}
		out = append(out, c)
	}
	return out
}

// Gazetteer resolves a cell to a gazetteer code: the code itself, or a
// name that means exactly one place. An ambiguous name ("Aurangabad" is a
// district of Bihar and of Maharashtra) is refused: a wrong district is worse
// than none.
func Gazetteer(cell string) (string, bool) {
	if p, ok := gazetteer.Get(strings.ToUpper(cell)); ok {
		return p.Code, true
	}
	if ps := gazetteer.Match(cell, ""); len(ps) == 1 {
		return ps[0].Code, true
	}
	return "", false
}

func (rc *rowConv) place(field string) string {
	v := rc.text(field)
	if v == "" {
		return ""
	}
	resolve := rc.o.ResolvePlace
	if resolve == nil {
		resolve = Gazetteer
	}
	if code, ok := resolve(v); ok {
		return code
	}
	msg := "is not a place the gazetteer knows; check the spelling or use its code, such as IN-BR-SITAMARHI"
	if rc.o.ResolvePlace == nil && len(gazetteer.Match(v, "")) > 1 {
		msg = "names several places; use the district's code, such as IN-BR-AURANGABAD"
	}
	rc.problem(field, msg)
	return ""
}

func (rc *rowConv) convert() Row {
	o := rc.o
	row := Row{Line: rc.line}
	c := &row.Case
	c.Info = o.Info
	c.ExternalRef = rc.text("external_ref")
	c.IntakeAt = rc.date("intake_date")
	c.IntakeChannel = rc.code("intake_channel", codelist.IntakeChannel)
	if c.IntakeChannel == "" && rc.cell("intake_channel") == "" {
		c.IntakeChannel = o.DefaultChannel
	}
	c.IntakeDistrict = rc.place("intake_district")
	c.Exploitation = rc.codes("exploitation", codelist.Exploitation)
	c.Status = rc.code("status", codelist.CaseStatus)
	if c.Status == "" {
		c.Status = "open"
	}
	if c.Status == "closed" {
		c.Stage = "closed"
	}
	c.Summary = rc.text("notes")

	p := &row.Victim
	p.Info = o.Info
	p.Roles = []atip.PersonRole{atip.PersonVictim}
	if n := rc.text("victim_name"); n != "" {
		p.Names = append(p.Names, atip.PersonName{Full: n, Script: script(n), Kind: "name"})
	}
	if n := rc.text("victim_name_native"); n != "" {
		p.Names = append(p.Names, atip.PersonName{Full: n, Script: script(n), Kind: "name"})
	}
	if _, mapped := rc.col["victim_sex"]; mapped {
		p.Sex = rc.code("victim_sex", codelist.Sex)
	}
	p.AgeYears, p.AgeAsOf = -1, c.IntakeAt
	if a, ok := rc.integer("victim_age", 0, 120); ok {
		p.AgeYears = a
	}
	p.BirthDate = rc.date("victim_birth_date")
	p.AgeMethod = rc.code("age_method", codelist.AgeEstimation)
	if p.AgeMethod == "" && p.AgeYears >= 0 {
		p.AgeMethod = "not_recorded"
	}
	if !p.BirthDate.IsZero() && p.AgeYears >= 0 && !c.IntakeAt.IsZero() {
		dobAge := (&atip.Person{BirthDate: p.BirthDate}).AgeAt(c.IntakeAt)
		if d := dobAge - p.AgeYears; d > 1 || d < -1 {
			rc.problem("victim_age", "does not agree with the date of birth")
		}
	}
	if n := rc.text("victim_nationality"); n != "" {
		p.Nationality = strings.ToUpper(n)
		if len(p.Nationality) != 2 || !codelike(p.Nationality) {
			rc.problem("victim_nationality", "must be a two-letter country code such as IN, NP or BD")
			p.Nationality = ""
		}
	}
	if v := rc.text("victim_phone"); v != "" {
		region := o.PhoneRegion
		if p.Nationality != "" {
			region = p.Nationality
		}
		if n, ok := phone.Parse(v, region); ok {
			p.Phones = []string{n.E164}
		} else {
			rc.problem("victim_phone", "is not a valid phone number")
		}
	}
	p.HomeDistrict = rc.place("home_district")
	p.HomeVillage = rc.text("home_village")
	if !c.IntakeAt.IsZero() {
		p.AgeBand = redact.AgeBand(p.AgeAt(c.IntakeAt))
	}

	v := &row.VictimLink
	v.TraffickingStatus = rc.code("trafficking_status", codelist.TraffickingStatus)
	v.StatusDecidedBy = rc.code("status_decided_by", codelist.StatusDecidedBy)
	if v.TraffickingStatus != "" && v.TraffickingStatus != "unknown" && v.StatusDecidedBy == "" && rc.cell("status_decided_by") == "" {
		rc.problem("status_decided_by", "is required when the trafficking status is given")
	}
	v.ChildAtIntake = !c.IntakeAt.IsZero() && p.ChildAt(c.IntakeAt)

	if fir := rc.text("fir_number"); fir != "" {
		row.Legal = &atip.LegalTrack{Info: o.Info, FIRNumber: fir, FIRAt: rc.date("fir_date"), PoliceStation: rc.text("police_station")}
		if row.Legal.FIRAt.IsZero() && rc.cell("fir_date") == "" {
			rc.problem("fir_date", "is required with an FIR number")
		}
	} else if rc.cell("fir_date") != "" {
		rc.problem("fir_number", "is empty but an FIR date is given")
	}

	// The records' own rules, for what the cell checks above do not cover.
	// Only when the cells were readable, so one bad cell reports once.
	if len(rc.problems) == 0 {
		rc.recordErrors(c.Validate(), map[string]string{"intake_at": "intake_date", "intake_district": "intake_district",
			"intake_channel": "intake_channel", "status": "status", "closed_at": "status"})
		rc.recordErrors(p.Validate(), map[string]string{"sex": "victim_sex", "age_years": "victim_age",
			"age_method": "age_method", "nationality": "victim_nationality", "roles": "victim_name"})
	}
	return row
}

func (rc *rowConv) recordErrors(err error, fields map[string]string) {
	e, ok := err.(*atip.Error)
	if !ok {
		return
	}
	for _, fe := range e.Fields {
		f := fields[fe.Field]
		if f == "" {
			f = fe.Field
		}
		rc.problem(f, fe.Message)
	}
}

func codelike(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// script guesses the ISO 15924 script of a name from its first letter.
func script(s string) string {
	for _, r := range s {
		switch {
		case r >= 0x0900 && r <= 0x097F:
			return "Deva"
		case r >= 0x0980 && r <= 0x09FF:
			return "Beng"
		case r >= 0x0D80 && r <= 0x0DFF:
			return "Sinh"
		case r >= 0x0B80 && r <= 0x0BFF:
			return "Taml"
		case r < 0x80 && (r|0x20) >= 'a' && (r|0x20) <= 'z':
			return "Latn"
		}
	}
	return "Zyyy"
}
