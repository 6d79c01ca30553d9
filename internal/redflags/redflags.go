// Package redflags scores interceptions at border crossings and transit
// points against a versioned, weighted catalogue of red flags (data, in
// catalogue.yaml), decides when to prompt the officer to open a case, and
// holds the rule that a second person verifies every interception record.
package redflags

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"atip"
)

//go:embed catalogue.yaml
var shipped []byte

// Flag is one red flag.
type Flag struct {
	ID     string `yaml:"id"`
	En     string `yaml:"en"` // English text; translated under TitleKey
	Weight int    `yaml:"weight"`
	// MinorOnly flags make sense only for a person under 18.
	MinorOnly bool `yaml:"minor_only"`
	// Critical flags prompt the officer to open a case whatever the score:
	// a child with an unrelated adult at a border is never waved through.
	Critical bool `yaml:"critical"`
}

// TitleKey is the translation key of the flag's text.
func (f Flag) TitleKey() string { return "redflag." + f.ID }

// Thresholds decide when an interception prompts the officer to open a case.
type Thresholds struct {
	Score             int `yaml:"score"`
	Certainty         int `yaml:"certainty"`
	CombinedScore     int `yaml:"combined_score"`
	CombinedCertainty int `yaml:"combined_certainty"`
}

// Catalogue is one version of the red-flag list with its thresholds.
type Catalogue struct {
	Version    int        `yaml:"version"`
	Thresholds Thresholds `yaml:"thresholds"`
	Flags      []Flag     `yaml:"flags"`
}

// Default returns the catalogue shipped with ATIP.
func Default() *Catalogue {
	c, err := Parse(shipped)
	if err != nil {
		panic("redflags: shipped catalogue: " + err.Error()) // caught by the tests
	}
	return c
}

// Parse reads and validates a catalogue document, e.g. an organisation's
// tuned weights. Every problem is reported, each naming its field.
func Parse(data []byte) (*Catalogue, error) {
	if len(data) > 256<<10 {
		return nil, fmt.Errorf("catalogue: larger than 256 KiB")
	}
	var c Catalogue
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if c.Version < 1 {
		bad("version: a whole number from 1 is required")
	}
	t := c.Thresholds
	if t.Score < 1 {
		bad("thresholds.score: must be at least 1")
	}
	if t.Certainty < 1 || t.Certainty > 5 || t.CombinedCertainty < 0 || t.CombinedCertainty > 5 {
		bad("thresholds: certainties are from 1 to 5")
	}
	if (t.CombinedScore == 0) != (t.CombinedCertainty == 0) {
		bad("thresholds: give both combined_score and combined_certainty, or neither")
	}
	seen := map[string]bool{}
	for i, f := range c.Flags {
		switch {
		case f.ID == "" || strings.ContainsAny(f.ID, " \t"):
			bad("flags[%d].id: is required, without spaces", i)
		case seen[f.ID]:
			bad("flags[%d].id: %q is given twice", i, f.ID)
		}
		seen[f.ID] = true
		if f.En == "" {
			bad("flags[%d].en: the English text is required", i)
		}
		if f.Weight < 1 || f.Weight > 10 {
			bad("flags[%d].weight: must be from 1 to 10", i)
		}
	}
	if len(c.Flags) == 0 {
		bad("flags: at least one flag is required")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("catalogue: %s", strings.Join(errs, "; "))
	}
	return &c, nil
}

// Flag returns a flag by id.
func (c *Catalogue) Flag(id string) (Flag, bool) {
	for _, f := range c.Flags {
		if f.ID == id {
			return f, true
		}
	}
	return Flag{}, false
}

// For returns the flags an officer is shown for a person: without the
// minor-only flags for an adult.
func (c *Catalogue) For(minor bool) []Flag {
	var out []Flag
	for _, f := range c.Flags {
		if minor || !f.MinorOnly {
			out = append(out, f)
		}
	}
	return out
}

// Result is the assessment of one interception.
type Result struct {
	CatalogueVersion int
	Score            int
	Certainty        int
	Critical         []string // critical flags ticked
	// Prompt is true when the officer should be prompted to open a case;
	// Reason says why, in words safe to show.
	Prompt bool
	Reason string
}

// Score assesses the ticked flags and the officer's certainty (1–5) for a
// person who is or is not a minor. Unknown or repeated flags, minor-only
// flags for an adult, or a certainty out of range are refused with the
// field named.
func (c *Catalogue) Score(flags []string, certainty int, minor bool) (Result, error) {
	var v atip.Invalid
	r := Result{CatalogueVersion: c.Version, Certainty: certainty}
	if certainty < 1 || certainty > 5 {
		v.Add("certainty", "must be from 1 (unsure) to 5 (certain)")
	}
	seen := map[string]bool{}
	for _, id := range flags {
		f, ok := c.Flag(id)
		switch {
		case !ok:
			v.Add("flags", "%q is not in red-flag catalogue version %d", id, c.Version)
			continue
		case seen[id]:
			v.Add("flags", "%q is ticked twice", id)
			continue
		case f.MinorOnly && !minor:
			v.Add("flags", "%q applies only to a minor", id)
			continue
		}
		seen[id] = true
		r.Score += f.Weight
		if f.Critical {
			r.Critical = append(r.Critical, id)
		}
	}
	if err := v.Err(); err != nil {
		return Result{}, err
	}
	t := c.Thresholds
	switch {
	case len(r.Critical) > 0:
		r.Prompt, r.Reason = true, "critical red flag: "+strings.Join(r.Critical, ", ")
	case r.Score >= t.Score:
		r.Prompt, r.Reason = true, fmt.Sprintf("score %d reaches the threshold %d", r.Score, t.Score)
	case certainty >= t.Certainty:
		r.Prompt, r.Reason = true, fmt.Sprintf("officer's certainty %d reaches %d", certainty, t.Certainty)
	case t.CombinedScore > 0 && r.Score >= t.CombinedScore && certainty >= t.CombinedCertainty:
		r.Prompt, r.Reason = true, fmt.Sprintf("score %d and certainty %d together reach %d and %d",
			r.Score, certainty, t.CombinedScore, t.CombinedCertainty)
	}
	return r, nil
}

// Assess scores an interception record in place: it fills the catalogue
// version, the score and whether the officer is prompted. A minor is anyone
// the officer recorded as under 18 (or whose age is not known).
func (c *Catalogue) Assess(x *atip.Interception, minor bool) (Result, error) {
	flags := slices.Clone(x.Flags)
	r, err := c.Score(flags, x.Certainty, minor)
	if err != nil {
		return r, err
	}
	x.CatalogueVersion, x.Score, x.Prompted = r.CatalogueVersion, r.Score, r.Prompt
	return r, nil
}

// Verify records a second person's verification of an interception. The
// verifier must be another user than the one who recorded it, and a record
// is verified once.
func Verify(x *atip.Interception, verifierID string, at time.Time) error {
	switch {
	case verifierID == "":
		return atip.Errorf(atip.EINVALID, "the verifier is required")
	case verifierID == x.RecordedBy:
		return &atip.Error{Code: atip.EFORBIDDEN, Message: "a second person must verify the interception",
			Fields: []atip.FieldError{{Field: "verified_by", Message: "is the person who recorded it"}}}
	case x.VerifiedBy != "":
		return atip.Errorf(atip.ECONFLICT, "the interception is already verified")
	case at.Before(x.At):
		return atip.Errorf(atip.EINVALID, "verification cannot precede the interception")
	}
	x.VerifiedBy, x.VerifiedAt = verifierID, at.UTC()
	return nil
}

// Unverified returns the interceptions recorded more than grace ago that no
// second person has verified yet, for a supervisor's list.
func Unverified(xs []*atip.Interception, now time.Time, grace time.Duration) []*atip.Interception {
	var out []*atip.Interception
	for _, x := range xs {
		if x.VerifiedBy == "" && now.Sub(x.At) > grace {
			out = append(out, x)
		}
	}
	return out
}

// Version returns the shipped catalogue of a version, nil when there is
// none: a stored interception names the version it was scored with, so its
// page explains the score with that version's flags and weights even after
// the catalogue moved on.
func Version(v int) *Catalogue {
	if d := Default(); d.Version == v {
		return d
	}
	return nil
}

// Contributions returns the catalogue's flags in order with those among
// ids marked as ticked: what a record page shows under the score. Flags
// not in the catalogue are left out.
func (c *Catalogue) Contributions(ids []string) (ticked []Flag, total int) {
	for _, f := range c.Flags {
		if slices.Contains(ids, f.ID) {
			ticked = append(ticked, f)
			total += f.Weight
		}
	}
	return ticked, total
}
