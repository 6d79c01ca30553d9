// Package tips scores online posts and tips for signs of trafficking
// recruitment or exploitation, and explains every score: which indicators
// of a versioned, cited lexicon matched, where in the text, and how much
// each category of indicator moved the score.
//
// The lexicon (lexicon/lexicon.json) and the model that combines its
// categories (lexicon/model.json) are data, embedded in the binary. The model
// is refitted from analysts' feedback with Fit, which is deterministic: the
// same feedback and lexicon always give the same model.
//
// Everything here is pure: no I/O beyond the embedded files, no global
// mutable state; a Scorer is safe for concurrent use.
package tips

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed lexicon/lexicon.json
var lexiconJSON []byte

//go:embed lexicon/model.json
var modelJSON []byte

//go:embed lexicon/prior.json
var priorJSON []byte

// Lexicon is the indicator data: what to look for, how strong each sign is
// within its category, and where the field documented it.
type Lexicon struct {
	Version    string      `json:"version"`
	Sources    []Source    `json:"sources"`
	Categories []Category  `json:"categories"`
	Indicators []Indicator `json:"indicators"`
	Ages       Ages        `json:"ages"`
}

// Source is a public document an indicator is drawn from.
type Source struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Category groups indicators that say the same kind of thing (a job is
// offered; the target is young women; documents are withheld …). The model
// weighs categories and pairs of categories, not single phrases, so that a
// job advertisement alone stays low and a job advertisement that also asks
// for girls only and keeps passports does not.
type Category struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Indicator is one sign, with the phrases that express it.
type Indicator struct {
	ID       string   `json:"id"`
	Category string   `json:"category"`
	Label    string   `json:"label"`
	Weight   float64  `json:"weight"` // strength within its category, in (0,1)
	Source   string   `json:"source"` // Source.ID
	Patterns []string `json:"patterns"`
}

// Model combines category evidence into a score: the evidence of category c
// is the noisy-OR of the weights of its matched indicators,
// x_c = 1 − Π(1 − w_i), and
//
//	score = σ(Bias + Σ_c Weights[c]·x_c + Σ_{c<d} Pairs[c+d]·x_c·x_d).
type Model struct {
	LexiconVersion string             `json:"lexicon_version"`
	Bias           float64            `json:"bias"`
	Weights        map[string]float64 `json:"weights"`
	Pairs          map[string]float64 `json:"pairs"` // key "a+b" with a < b
	Fit            *FitInfo           `json:"fit,omitempty"`
}

// FitInfo records how a model was fitted, so that anyone can fit it again.
type FitInfo struct {
	Examples   int     `json:"examples"`
	Positives  int     `json:"positives"`
	Lambda     float64 `json:"lambda"`
	Iterations int     `json:"iterations"`
	Rate       float64 `json:"rate"`
	Prior      string  `json:"prior"` // version of the model the fit was regularised towards
}

// DefaultLexicon returns the embedded lexicon.
func DefaultLexicon() (*Lexicon, error) { return ParseLexicon(lexiconJSON) }

// DefaultModel returns the embedded model.
func DefaultModel() (*Model, error) { return ParseModel(modelJSON) }

// DefaultPrior returns the experts' model that Fit starts from and pulls
// towards: the model.json shipped is Fit(DefaultLexicon, DefaultPrior,
// testdata/corpus.jsonl).
func DefaultPrior() (*Model, error) { return ParseModel(priorJSON) }

// ParseLexicon reads and checks a lexicon.
func ParseLexicon(data []byte) (*Lexicon, error) {
	var l Lexicon
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	return &l, nil
}

func (l *Lexicon) check() error {
	if l.Version == "" {
		return fmt.Errorf("no version")
	}
	sources := map[string]bool{}
	for _, s := range l.Sources {
		if s.ID == "" || s.Title == "" || s.URL == "" {
			return fmt.Errorf("source %q needs an id, a title and a URL", s.ID)
		}
		sources[s.ID] = true
	}
	cats := map[string]bool{}
	for _, c := range l.Categories {
		if c.ID == "" || strings.Contains(c.ID, "+") || c.Label == "" {
			return fmt.Errorf("category %q needs an id without '+' and a label", c.ID)
		}
		cats[c.ID] = true
	}
	ids := map[string]bool{}
	for _, in := range l.Indicators {
		switch {
		case in.ID == "" || ids[in.ID]:
			return fmt.Errorf("indicator id %q is empty or repeated", in.ID)
		case !cats[in.Category]:
			return fmt.Errorf("indicator %s: unknown category %q", in.ID, in.Category)
		case !sources[in.Source]:
			return fmt.Errorf("indicator %s: unknown source %q", in.ID, in.Source)
		case in.Label == "":
			return fmt.Errorf("indicator %s: no label", in.ID)
		case !(in.Weight > 0 && in.Weight < 1):
			return fmt.Errorf("indicator %s: weight %v is not in (0,1)", in.ID, in.Weight)
		case len(in.Patterns) == 0:
			return fmt.Errorf("indicator %s: no patterns", in.ID)
		}
		ids[in.ID] = true
		for _, p := range in.Patterns {
			for _, part := range strings.Split(p, "...") {
				if foldPattern(strings.TrimSuffix(strings.TrimSpace(part), "*")) == "" {
					return fmt.Errorf("indicator %s: pattern %q has an empty part", in.ID, p)
				}
			}
		}
	}
	for _, r := range l.Ages.Rules {
		if !ids[r.Indicator] || r.LowMin > r.LowMax {
			return fmt.Errorf("age rule for %q: unknown indicator or empty range", r.Indicator)
		}
	}
	return nil
}

// ParseModel reads a model.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if m.Weights == nil {
		m.Weights = map[string]float64{}
	}
	if m.Pairs == nil {
		m.Pairs = map[string]float64{}
	}
	return &m, nil
}

// Version identifies a model: the lexicon version and a digest of the
// coefficients, so that two scores are comparable only if their versions
// are equal.
func (m *Model) Version() string {
	b, _ := json.Marshal(struct {
		B float64
		W map[string]float64
		P map[string]float64
	}{m.Bias, m.Weights, m.Pairs}) // map keys are sorted by encoding/json
	h := sha256.Sum256(b)
	return m.LexiconVersion + "+" + hex.EncodeToString(h[:4])
}

// PairKey names the interaction of two categories.
func PairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "+" + b
}

// sortedCategories returns the category ids in a fixed order.
func (l *Lexicon) sortedCategories() []string {
	out := make([]string, len(l.Categories))
	for i, c := range l.Categories {
		out[i] = c.ID
	}
	sort.Strings(out)
	return out
}
