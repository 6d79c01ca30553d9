package casegen

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/codelist"
	"atip/internal/gazetteer"
	"atip/internal/redflags"
)

func TestSameSeedSameRecords(t *testing.T) {
	a, b, c := New(Options{Seed: 7}), New(Options{Seed: 7}), New(Options{Seed: 8})
	differ := false
	for i := range 200 {
		ra, rb, rc := a.Next(), b.Next(), c.Next()
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("record %d differs for the same seed", i)
		}
		differ = differ || ra.Case.ID != rc.Case.ID
	}
	if !differ {
		t.Error("different seeds gave the same records")
	}
}

func TestRecordsAreValidAndSynthetic(t *testing.T) {
	g := New(Options{Seed: 1, OrgIDs: []string{"org-a", "org-b"}})
	cat := redflags.Default()
	ids := map[string]bool{}
	for i := range 3000 {
		r := g.Next()
		if err := r.Case.Validate(); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !strings.HasPrefix(r.Case.Ref, "CASE-SYN-") || r.Case.Info.CreatedBy != CreatedBy {
			t.Fatalf("case %d not marked synthetic: %s", i, r.Case.Ref)
		}
		if ids[r.Case.ID] {
			t.Fatalf("duplicate id %s", r.Case.ID)
		}
		ids[r.Case.ID] = true
		for _, p := range append(append([]atip.Person{}, r.Victims...), r.Suspects...) {
			if err := p.Validate(); err != nil {
				t.Fatalf("case %d person: %v", i, err)
			}
			for _, ph := range p.Phones {
				if !strings.HasPrefix(ph, "+999") || len(ph) != 14 {
					t.Fatalf("phone %s outside the reserved +999 code", ph)
				}
			}
			for _, d := range p.Documents {
				if !strings.HasPrefix(d.Number, "SYN") {
					t.Fatalf("document number %s not marked", d.Number)
				}
			}
			if len(p.Names) < 2 || p.Names[1].Script == "Latn" {
				t.Fatalf("no native-script name: %+v", p.Names)
			}
		}
		if x := r.Interception; x != nil {
			if err := x.Validate(); err != nil {
				t.Fatalf("interception %d: %v", i, err)
			}
			if _, err := cat.Score(x.Flags, x.Certainty, r.Victims[0].ChildAt(x.At)); err != nil {
				t.Fatalf("interception %d flags: %v", i, err)
			}
		}
		for _, in := range r.Case.Incidents {
			if r.Case.CrossBorder && in.BorderPoint == "" && len(in.Destination) != 2 {
				t.Fatalf("cross-border case %d without a crossing or foreign destination", i)
			}
		}
	}
}

func TestProportionsArePlausible(t *testing.T) {
	g := New(Options{Seed: 3, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	const n = 20000
	var children, victims, female, sexual, labour, nepal, interceptions int
	for range n {
		r := g.Next()
		if codelist.Is(codelist.Exploitation, r.Case.Exploitation[0], "sexual_exploitation") {
			sexual++
		}
		if codelist.Is(codelist.Exploitation, r.Case.Exploitation[0], "forced_labour") {
			labour++
		}
		if r.Interception != nil {
			interceptions++
		}
		if r.Case.IntakeAt.Year() != 2024 {
			t.Fatalf("intake %v outside the range", r.Case.IntakeAt)
		}
		for i, v := range r.Victims {
			victims++
			if r.Case.Victims[i].ChildAtIntake {
				children++
			}
			if v.Sex == "female" {
				female++
			}
			if v.Nationality == "NP" {
				nepal++
			}
		}
	}
	share := func(x, of int) float64 { return float64(x) / float64(of) }
	tests := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"children among victims", share(children, victims), 0.40, 0.65},
		{"women and girls among victims", share(female, victims), 0.60, 0.85},
		{"sexual exploitation cases", share(sexual, n), 0.28, 0.38},
		{"forced labour cases", share(labour, n), 0.28, 0.36},
		{"Nepali victims", share(nepal, victims), 0.22, 0.38},
		{"interceptions", share(interceptions, n), 0.15, 0.25},
	}
	for _, tt := range tests {
		if tt.got < tt.min || tt.got > tt.max {
			t.Errorf("%s: %.3f, want %.2f–%.2f", tt.name, tt.got, tt.min, tt.max)
		}
	}
}

func TestIDsSortByIntake(t *testing.T) {
	g := New(Options{Seed: 5})
	prev := g.Next()
	for range 500 {
		r := g.Next()
		a, b := prev.Case, r.Case
		if a.IntakeAt.UnixMilli() != b.IntakeAt.UnixMilli() && (a.IntakeAt.Before(b.IntakeAt) != (a.ID < b.ID)) {
			t.Fatalf("ids %s %s do not sort as intakes %v %v", a.ID, b.ID, a.IntakeAt, b.IntakeAt)
		}
		if b.ID[14] != '7' || !strings.ContainsAny(b.ID[19:20], "89ab") {
			t.Fatalf("id %s is not UUIDv7-shaped", b.ID)
		}
		prev = r
	}
}

func BenchmarkNext(b *testing.B) {
	g := New(Options{Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
}

func TestChunksAreDeterministicAndDistinct(t *testing.T) {
	o := Options{Seed: 42}
	a, b, c := Chunk(o, 3, 50), Chunk(o, 3, 50), Chunk(o, 4, 50)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same chunk differs between runs")
	}
	seen := map[string]bool{}
	for _, r := range append(a, c...) {
		if seen[r.Case.ID] {
			t.Fatalf("chunks 3 and 4 share id %s", r.Case.ID)
		}
		seen[r.Case.ID] = true
	}
}

// BenchmarkMillionParallel generates 1,000,000 cases in chunks of 10,000 on
// every CPU, as a benchmark loader would.
func BenchmarkMillionParallel(b *testing.B) {
	const chunks, size = 100, 10_000
	for b.Loop() {
		next := make(chan int, chunks)
		for k := range chunks {
			next <- k
		}
		close(next)
		done := make(chan int)
		workers := runtime.GOMAXPROCS(0)
		for range workers {
			go func() {
				n := 0
				for k := range next {
					n += len(Chunk(Options{Seed: 1}, k, size))
				}
				done <- n
			}()
		}
		total := 0
		for range workers {
			total += <-done
		}
		if total != chunks*size {
			b.Fatal(total)
		}
	}
}

// Every place a generated case names is in the gazetteer, so the list
// filters and statistics of the benchmarks and the demo work on real codes.
func TestPlacesAreGazetteerCodes(t *testing.T) {
	check := func(what, code string) {
		if code == "" {
			return
		}
		if _, ok := gazetteer.Get(code); !ok {
			t.Errorf("%s %q is not in the gazetteer", what, code)
		}
	}
	for _, c := range append(nepalCrossings, bangladeshCrossings...) {
		check("crossing", c.from)
		check("crossing", c.to)
	}
	g := New(Options{Seed: 9})
	for range 2000 {
		r := g.Next()
		check("intake district", r.Case.IntakeDistrict)
		for _, in := range r.Case.Incidents {
			check("origin", in.Origin)
			check("destination", in.Destination)
			check("exploitation place", in.ExploitationPlace)
			for _, p := range in.TransitPoints {
				check("transit point", p)
			}
		}
		for _, v := range r.Victims {
			check("home district", v.HomeDistrict)
		}
	}
}

func TestChecklistsAndLegalTracks(t *testing.T) {
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := New(Options{Seed: 11, Checklists: true, UserIDs: []string{"u1", "u2"}, From: to.AddDate(-1, 0, 0), To: to})
	var open, openOverdue, legal int
	for i := range 1500 {
		r := g.Next()
		if r.Legal != nil {
			legal++
			if err := r.Legal.Validate(); err != nil {
				t.Fatalf("record %d legal track: %v", i, err)
			}
		}
		if len(r.Case.AssignedTo) != 1 {
			t.Fatalf("record %d not assigned", i)
		}
		cl := r.Checklist
		if r.Case.IntakeDistrict[:2] != "IN" {
			continue
		}
		if cl == nil || len(cl.Items) == 0 {
			t.Fatalf("record %d in India without a checklist", i)
		}
		child := false
		for _, v := range r.Case.Victims {
			child = child || v.ChildAtIntake
		}
		if child != (cl.Item("in-child-rescue/cwc_production") != nil) {
			t.Fatalf("record %d: child %v but CWC step presence differs", i, child)
		}
		overdue := len(cl.Overdue(to))
		switch r.Case.Status {
		case "closed":
			if overdue != 0 {
				t.Fatalf("closed record %d has %d overdue steps", i, overdue)
			}
		default:
			open++
			if overdue > 0 {
				openOverdue++
			}
		}
	}
	if share := float64(openOverdue) / float64(open); share < 0.1 || share > 0.95 {
		t.Errorf("%.2f of open cases have overdue steps", share)
	}
	if legal < 300 {
		t.Errorf("only %d legal tracks", legal)
	}
}

func BenchmarkNextWithChecklist(b *testing.B) {
	g := New(Options{Seed: 1, Checklists: true})
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
}
