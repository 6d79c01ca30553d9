package tips

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

type labelled struct {
	ID     string `json:"id"`
	Label  int    `json:"label"`
	Kind   string `json:"kind"`
	Script string `json:"script"`
	Text   string `json:"text"`
}

func loadCorpus(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// confusion counts decisions at Threshold.
type confusion struct{ tp, fp, fn, tn int }

func (c *confusion) add(score float64, label int) {
	switch {
	case score >= Threshold && label == 1:
		c.tp++
	case score >= Threshold:
		c.fp++
	case label == 1:
		c.fn++
	default:
		c.tn++
	}
}

func (c confusion) precision() float64 { return float64(c.tp) / float64(max(1, c.tp+c.fp)) }
func (c confusion) recall() float64    { return float64(c.tp) / float64(max(1, c.tp+c.fn)) }

func feedbackOf(ls []labelled) []Feedback {
	fb := make([]Feedback, len(ls))
	for i, l := range ls {
		fb[i] = Feedback{TipID: l.ID, Text: l.Text, Relevant: l.Label == 1}
	}
	return fb
}

// TestCorpusQuality reports precision and recall at the threshold of the
// shipped lexicon and model on the labelled corpus, overall and by script
// and kind. The floors are below the measured figures by a margin, so the
// test fails when a lexicon or model change makes things clearly worse.
func TestCorpusQuality(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	corpus := loadCorpus(t)
	if len(corpus) < 300 {
		t.Fatalf("corpus has %d posts, want at least 300", len(corpus))
	}
	var all confusion
	byScript := map[string]*confusion{}
	byKind := map[string]*confusion{}
	for _, l := range corpus {
		r := s.Score(l.Text)
		all.add(r.Score, l.Label)
		for _, g := range []struct {
			m map[string]*confusion
			k string
		}{{byScript, l.Script}, {byKind, l.Kind}} {
			if g.m[g.k] == nil {
				g.m[g.k] = &confusion{}
			}
			g.m[g.k].add(r.Score, l.Label)
		}
		if testing.Verbose() && (r.Score >= Threshold) != (l.Label == 1) {
			t.Logf("miss %s label=%d score=%.2f: %.90s", l.ID, l.Label, r.Score, l.Text)
		}
	}
	t.Logf("all %d posts: precision %.3f recall %.3f (%+v)", len(corpus), all.precision(), all.recall(), all)
	for k, c := range byScript {
		t.Logf("script %-10s precision %.3f recall %.3f (%+v)", k, c.precision(), c.recall(), *c)
	}
	for k, c := range byKind {
		t.Logf("kind %-15s %+v", k, *c)
	}
	if all.precision() < 0.9 || all.recall() < 0.85 {
		t.Errorf("precision %.3f recall %.3f below the floor 0.90/0.85", all.precision(), all.recall())
	}
}

// TestCrossValidatedFit estimates how the model does on posts it was not
// fitted on: five folds, each scored by a model fitted on the other four.
func TestCrossValidatedFit(t *testing.T) {
	lex, _ := DefaultLexicon()
	prior, _ := DefaultPrior()
	corpus := loadCorpus(t)
	const k = 5
	var c, cPrior confusion
	ps, _ := NewScorer(lex, prior)
	for fold := 0; fold < k; fold++ {
		var train, test []labelled
		for i, l := range corpus {
			if i%k == fold {
				test = append(test, l)
			} else {
				train = append(train, l)
			}
		}
		m, err := Fit(lex, prior, feedbackOf(train), FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewScorer(lex, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range test {
			c.add(s.Score(l.Text).Score, l.Label)
			cPrior.add(ps.Score(l.Text).Score, l.Label)
		}
	}
	t.Logf("5-fold held-out: precision %.3f recall %.3f (%+v); experts' prior alone: precision %.3f recall %.3f",
		c.precision(), c.recall(), c, cPrior.precision(), cPrior.recall())
	if c.precision() < 0.85 || c.recall() < 0.8 {
		t.Errorf("held-out precision %.3f recall %.3f below the floor 0.85/0.80", c.precision(), c.recall())
	}
}

// TestShippedModelIsReproducible: the embedded model is exactly what Fit
// gives for the corpus, so anyone can retrace it from the stored feedback.
func TestShippedModelIsReproducible(t *testing.T) {
	lex, _ := DefaultLexicon()
	prior, _ := DefaultPrior()
	shipped, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Fit(lex, prior, feedbackOf(loadCorpus(t)), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version() != shipped.Version() || shipped.LexiconVersion != lex.Version {
		got, _ := json.MarshalIndent(m, "", " ")
		t.Fatalf("lexicon/model.json is not Fit(corpus); regenerate with\n  atip tips fit --in internal/tips/testdata/corpus.jsonl --out internal/tips/lexicon/model.json\nwant:\n%s", got)
	}
}
