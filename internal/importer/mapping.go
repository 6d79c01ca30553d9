package importer

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"atip/internal/codelist"
	"atip/internal/textnorm"
)

// Kind is how a target field's cells are read.
type Kind int

const (
	KindText    Kind = iota
	KindDate         // 2026-03-01, 01/03/2026 (day first, as South Asian registers write it), 1 Mar 2026, or an Excel serial
	KindInt          // a whole number
	KindCode         // a value of a code list, as its code or its English label
	KindCodes        // several codes separated by ";" or ","
	KindPhone        // a phone number, normalised to E.164
	KindPlace        // a gazetteer code (or a name the caller's resolver knows)
	KindCountry      // ISO 3166-1 alpha-2
)

// Field is a field a column can be mapped to.
type Field struct {
	Name     string
	Label    string // English, for the mapping screen
	Kind     Kind
	List     string // the code list of KindCode and KindCodes
	Required bool
	// Aliases are headers legacy registers use for the field, in English
	// and the region's languages; Suggest compares headers against them.
	Aliases []string
}

// Fields are the targets of an import: one row of a legacy register becomes
// one case with one victim (and, when an FIR is given, a legal track).
var Fields = []Field{
	{Name: "external_ref", Label: "Case number in the register", Aliases: []string{"case no", "case number", "file no", "sl no", "ref", "reference", "case id", "register no"}},
	{Name: "intake_date", Label: "Date of rescue / intake", Kind: KindDate, Required: true, Aliases: []string{"date", "rescue date", "date of rescue", "intake date", "date of intake", "date of interception", "received on", "तारीख", "मिति", "তারিখ"}},
	{Name: "intake_channel", Label: "How the case came in", Kind: KindCode, List: codelist.IntakeChannel, Aliases: []string{"channel", "source", "mode", "how identified", "type of intake"}},
	{Name: "intake_district", Label: "District of intake", Kind: KindPlace, Required: true, Aliases: []string{"district", "place of rescue", "rescue district", "location", "जिला", "जिल्ला", "জেলা"}},
	{Name: "exploitation", Label: "Form of exploitation", Kind: KindCodes, List: codelist.Exploitation, Aliases: []string{"type", "purpose", "form of exploitation", "type of trafficking", "exploitation type", "case type"}},
	{Name: "status", Label: "Case status", Kind: KindCode, List: codelist.CaseStatus, Aliases: []string{"case status", "current status"}},
	{Name: "victim_name", Label: "Victim's name", Aliases: []string{"name", "victim", "victim name", "name of victim", "survivor name", "name of survivor", "नाम", "नाउँ", "নাম"}},
	{Name: "victim_name_native", Label: "Victim's name in Devanagari or Bengali script", Aliases: []string{"name local", "name in hindi", "name in nepali", "name in bangla", "native name"}},
	{Name: "victim_sex", Label: "Sex", Kind: KindCode, List: codelist.Sex, Required: true, Aliases: []string{"sex", "gender", "m f", "लिंग", "লিঙ্গ"}},
	{Name: "victim_age", Label: "Age in years", Kind: KindInt, Aliases: []string{"age", "age years", "उम्र", "उमेर", "বয়স"}},
	{Name: "victim_birth_date", Label: "Date of birth", Kind: KindDate, Aliases: []string{"dob", "date of birth", "birth date", "जन्म मिति"}},
	{Name: "age_method", Label: "How the age was determined", Kind: KindCode, List: codelist.AgeEstimation, Aliases: []string{"age proof", "age determined by", "age document"}},
	{Name: "victim_nationality", Label: "Nationality", Kind: KindCountry, Aliases: []string{"nationality", "country", "citizenship"}},
	{Name: "victim_phone", Label: "Victim's phone", Kind: KindPhone, Aliases: []string{"phone", "mobile", "contact", "contact no", "phone number", "mobile no", "फोन", "মোবাইল"}},
	{Name: "home_district", Label: "Home district", Kind: KindPlace, Aliases: []string{"home district", "native district", "permanent district", "address district", "district of origin"}},
	{Name: "home_village", Label: "Home village or address", Aliases: []string{"village", "address", "home address", "permanent address", "गाँव", "गाउँ", "গ্রাম"}},
	{Name: "trafficking_status", Label: "Trafficking status", Kind: KindCode, List: codelist.TraffickingStatus, Aliases: []string{"victim status", "trafficking status", "identified as"}},
	{Name: "status_decided_by", Label: "Who decided the status", Kind: KindCode, List: codelist.StatusDecidedBy, Aliases: []string{"identified by", "status decided by"}},
	{Name: "fir_number", Label: "FIR number", Aliases: []string{"fir", "fir no", "fir number", "complaint no"}},
	{Name: "fir_date", Label: "FIR date", Kind: KindDate, Aliases: []string{"fir date", "date of fir"}},
	{Name: "police_station", Label: "Police station", Aliases: []string{"ps", "police station", "thana"}},
	{Name: "notes", Label: "Notes", Aliases: []string{"remarks", "notes", "comments", "details", "कैफियत"}},
}

// FieldByName returns a target field.
func FieldByName(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Mapping maps source column headers to target field names; a column
// mapped to "" is ignored.
type Mapping map[string]string

// Check reports every problem of a mapping against a table's header: an
// unknown column or field, a field mapped twice, a required field unmapped.
func (m Mapping) Check(header []string) []Problem {
	var ps []Problem
	used := map[string]string{}
	cols := make([]string, 0, len(m))
	for c := range m {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, col := range cols {
		target := m[col]
		if !slices.Contains(header, col) {
			ps = append(ps, Problem{Column: col, Field: target, Message: "the file has no such column"})
		}
		if target == "" {
			continue
		}
		if _, ok := FieldByName(target); !ok {
			ps = append(ps, Problem{Column: col, Field: target, Message: "is not a field ATIP imports"})
		} else if other, dup := used[target]; dup {
			ps = append(ps, Problem{Column: col, Field: target, Message: fmt.Sprintf("is already mapped from column %q", other)})
		}
		used[target] = col
	}
	for _, f := range Fields {
		if f.Required && used[f.Name] == "" {
			ps = append(ps, Problem{Field: f.Name, Message: "is required: map a column to it"})
		}
	}
	return ps
}

// Suggestion is a proposed mapping of a column with how sure it is (0–1).
type Suggestion struct {
	Column string
	Field  string // "" when nothing fits
	Score  float64
}

// Suggest proposes a target field for each column by comparing its header
// with the fields' names, labels and aliases: exact matches first, then the
// closest by shared words and spelling. Each field is proposed at most once,
// to the column that fits it best; columns scoring under 0.6 get none.
func Suggest(header []string) ([]Suggestion, Mapping) {
	type cand struct {
		col, field int
		score      float64
	}
	var cands []cand
	for i, h := range header {
		nh := normHeader(h)
		for j, f := range Fields {
			best := 0.0
			for _, a := range append([]string{f.Name, f.Label}, f.Aliases...) {
				best = max(best, similarity(nh, normHeader(a)))
			}
			if best >= 0.6 {
				cands = append(cands, cand{i, j, best})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	out := make([]Suggestion, len(header))
	for i, h := range header {
		out[i].Column = h
	}
	m := Mapping{}
	taken := map[int]bool{}
	for _, c := range cands {
		if taken[c.field] || out[c.col].Field != "" {
			continue
		}
		taken[c.field] = true
		out[c.col].Field, out[c.col].Score = Fields[c.field].Name, c.score
		m[header[c.col]] = Fields[c.field].Name
	}
	return out, m
}

// normHeader folds a header to lower-case words: "Date of Rescue (DD/MM)"
// → "date of rescue dd mm".
func normHeader(s string) string {
	s = strings.ToLower(textnorm.Clean(s))
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// similarity is 1 for equal headers, else the better of the share of words
// in common and the edit-distance similarity of the whole headers.
func similarity(a, b string) float64 {
	if a == "" || b == "" {
		return 0
	}
	if a == b || strings.ReplaceAll(a, " ", "_") == b {
		return 1
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	common := 0
	for _, w := range wa {
		if slices.Contains(wb, w) {
			common++
		}
	}
	jacc := float64(common) / float64(len(wa)+len(wb)-common)
	ra, rb := []rune(a), []rune(b)
	ed := 1 - float64(levenshtein(ra, rb))/float64(max(len(ra), len(rb)))
	return max(jacc*0.95, ed*0.95) // only an exact match scores 1
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
