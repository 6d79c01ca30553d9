// Package codelist holds the code lists of case records — forms of
// exploitation, trafficking status, means of control and the rest — as data
// (htcds.json, embedded), aligned with the Human Trafficking Case Data
// Standard v2.0 (IOM et al., CC BY 4.0; the attribution is in the file's
// header). Records store codes, never labels; screens show a label
// translated under LabelKey, falling back to the English label here.
//
// It depends on nothing but the standard library so the root package's
// validation can use it.
package codelist

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

//go:embed htcds.json
var htcdsJSON []byte

// Code is one value of a list.
type Code struct {
	Code   string `json:"code"`
	Label  string `json:"label"`  // English
	Parent string `json:"parent"` // the broader code, e.g. forced_labour for forced_labour_brick_kiln
	Source string `json:"source"` // "htcds" or "atip"; empty means the list's source
}

// List is a named code list.
type List struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Codes  []Code `json:"codes"`
}

type file struct {
	Version string `json:"version"`
	Lists   []List `json:"lists"`
}

var (
	version string
	lists   map[string]*List
	order   []string
)

func init() {
	f, err := parse(htcdsJSON)
	if err != nil {
		// The file is embedded and checked by the tests; a failure here is a
		// broken build, not bad input.
		panic("codelist: " + err.Error())
	}
	version = f.Version
	lists = make(map[string]*List, len(f.Lists))
	for i := range f.Lists {
		l := &f.Lists[i]
		lists[l.Name] = l
		order = append(order, l.Name)
	}
}

func parse(data []byte) (*file, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	seenList := map[string]bool{}
	for _, l := range f.Lists {
		if l.Name == "" || seenList[l.Name] {
			return nil, fmt.Errorf("list %q: empty or repeated name", l.Name)
		}
		seenList[l.Name] = true
		seen := map[string]bool{}
		for _, c := range l.Codes {
			if c.Code == "" || c.Label == "" || seen[c.Code] {
				return nil, fmt.Errorf("list %s: code %q: empty, unlabelled or repeated", l.Name, c.Code)
			}
			seen[c.Code] = true
		}
		for _, c := range l.Codes {
			if c.Parent != "" && !seen[c.Parent] {
				return nil, fmt.Errorf("list %s: code %s: unknown parent %q", l.Name, c.Code, c.Parent)
			}
		}
	}
	return &f, nil
}

// Names of the lists, as records' validation uses them.
const (
	Sex                  = "sex"
	PersonRole           = "person_role"
	AgeEstimation        = "age_estimation"
	TraffickingStatus    = "trafficking_status"
	StatusDecidedBy      = "status_decided_by"
	RelationToTrafficker = "relation_to_trafficker"
	MeansOfRecruitment   = "means_of_recruitment"
	MeansOfControl       = "means_of_control"
	PerpetratorRole      = "perpetrator_role"
	Exploitation         = "exploitation"
	SupportType          = "support_type"
	CaseStatus           = "case_status"
	CaseStage            = "case_stage"
	IntakeChannel        = "intake_channel"
	Transport            = "transport"
	OnlinePlatform       = "online_platform"
	DocumentType         = "document_type"
	LegalStage           = "legal_stage"
	TrialOutcome         = "trial_outcome"
	RiskLevel            = "risk_level"
	ServiceStatus        = "service_status"
)

// Version is the version of the embedded code lists.
func Version() string { return version }

// Names returns the names of every list, in file order.
func Names() []string { return slices.Clone(order) }

// Get returns a list, or nil when there is none of that name.
func Get(name string) *List { return lists[name] }

// Codes returns the codes of a list (nil for an unknown list).
func Codes(name string) []Code {
	if l := lists[name]; l != nil {
		return slices.Clone(l.Codes)
	}
	return nil
}

// Lookup returns a code of a list.
func Lookup(list, code string) (Code, bool) {
	if l := lists[list]; l != nil {
		for _, c := range l.Codes {
			if c.Code == code {
				return c, true
			}
		}
	}
	return Code{}, false
}

// Valid reports whether code is a value of list.
func Valid(list, code string) bool {
	_, ok := Lookup(list, code)
	return ok
}

// Check returns an error naming the list when code is not one of its values;
// the message is safe to show (codes are not personal data) and lists at most
// a few allowed values.
func Check(list, code string) error {
	if Valid(list, code) {
		return nil
	}
	l := lists[list]
	if l == nil {
		return fmt.Errorf("unknown code list %q", list)
	}
	allowed := make([]string, 0, 6)
	for i, c := range l.Codes {
		if i == 6 {
			allowed = append(allowed, "…")
			break
		}
		allowed = append(allowed, c.Code)
	}
	return fmt.Errorf("%q is not a %s code (one of %v)", code, list, allowed)
}

// Is reports whether code is want or one of its descendants, e.g.
// Is(Exploitation, "forced_labour_brick_kiln", "forced_labour") is true.
func Is(list, code, want string) bool {
	for range 8 { // lists are shallow; the bound guards against a cycle
		if code == want {
			return true
		}
		c, ok := Lookup(list, code)
		if !ok || c.Parent == "" {
			return false
		}
		code = c.Parent
	}
	return false
}

// LabelKey is the translation key of a code's label.
func LabelKey(list, code string) string { return "code." + list + "." + code }

// Label returns the label of a code: the translation under LabelKey from tr
// when tr is not nil and has one, else the English label, else the code.
func Label(list, code string, tr func(key string) (string, bool)) string {
	if tr != nil {
		if s, ok := tr(LabelKey(list, code)); ok && s != "" {
			return s
		}
	}
	if c, ok := Lookup(list, code); ok {
		return c.Label
	}
	return code
}
