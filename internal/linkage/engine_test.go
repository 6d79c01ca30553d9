package linkage

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func readFile(t *testing.T, name string) []Record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadCSV(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// The explanation of every reported pair is part of the contract with
// reviewers: it is checked against a golden file (go test -update to
// rewrite it after a deliberate change).
func TestExplanationsGolden(t *testing.T) {
	l, r := readFile(t, "left.csv"), readFile(t, "right.csv")
	res := Link(l, r, Options{Threshold: 0.01, Workers: 1})
	var b strings.Builder
	for _, p := range res.Pairs {
		fmt.Fprintf(&b, "%s %s %.4f\n  %s\n", l[p.Left].ID, r[p.Right].ID, p.Score, p.Explanation)
	}
	golden := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("explanations changed:\n%s\nwant:\n%s", b.String(), want)
	}
}

// The same girl in Devanagari and Latin, the same woman in Latin and
// Bengali script, a single name against a full one: found; the sister
// sharing father, village and phone, and a namesake elsewhere: not.
func TestLinkFindsPeopleAcrossScripts(t *testing.T) {
	l, r := readFile(t, "left.csv"), readFile(t, "right.csv")
	res := Link(l, r, Options{})
	got := map[string]string{}
	for _, p := range res.Pairs {
		got[l[p.Left].ID] = r[p.Right].ID
	}
	want := map[string]string{"M-1": "I-10", "M-2": "I-11", "M-3": "I-12"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s linked to %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	for _, k := range []string{"M-4", "M-5"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s should not be linked, got %s", k, v)
		}
	}
}

func TestLinkIsOneToOne(t *testing.T) {
	l := []Record{{ID: "a", Name: "Puja Kumari", Age: -1}}
	r := []Record{{ID: "x", Name: "Puja Kumari", Age: -1}, {ID: "y", Name: "Pooja Kumari", Age: -1}}
	res := Link(l, r, Options{Threshold: 0.0001})
	if len(res.Pairs) > 1 {
		t.Errorf("left record used %d times", len(res.Pairs))
	}
}

func TestDedupeClusters(t *testing.T) {
	recs := append(readFile(t, "left.csv"), readFile(t, "right.csv")...)
	res := Dedupe(recs, Options{})
	id := map[string]int{}
	for i, r := range recs {
		id[r.ID] = i
	}
	same := func(a, b string) bool { return res.Cluster[id[a]] == res.Cluster[id[b]] }
	if !same("M-1", "I-10") || !same("M-2", "I-11") {
		t.Errorf("clusters %v", res.Cluster)
	}
	if same("M-1", "M-5") || same("M-4", "I-13") {
		t.Errorf("different people clustered: %v", res.Cluster)
	}
	for i, c := range res.Cluster {
		if c > i || res.Cluster[c] != c {
			t.Errorf("record %d in cluster %d, which is not named by its first record", i, c)
		}
	}
}

// A phone on the records of many different people is a lead, not
// evidence: it must not link them.
func TestGenericPhoneIsALeadNotEvidence(t *testing.T) {
	var l, r []Record
	names := []string{"Sita Rai", "Gita Magar", "Maya Gurung", "Rita Lama", "Mina Thapa", "Januka Tharu", "Pasang Sherpa"}
	others := []string{"Sabina Karki", "Bimala Khadka", "Dolma Lama", "Sushila Rai", "Tulasi Magar", "Nirmala Adhikari", "Srijana Pariyar"}
	for i := range names {
		l = append(l, Record{ID: fmt.Sprint("l", i), Name: names[i], Age: -1, Phone: "9841000001", Country: "NP"})
		r = append(r, Record{ID: fmt.Sprint("r", i), Name: others[i], Age: -1, Phone: "+977 9841000001", Country: "NP"})
	}
	res := Link(l, r, Options{})
	if len(res.Pairs) != 0 {
		t.Errorf("a shared broker's phone linked %d pairs", len(res.Pairs))
	}
	if len(res.Leads) != 1 || res.Leads[0].Field != "phone" || res.Leads[0].Value != "+9779841000001" || res.Leads[0].People != 2*len(names) {
		t.Errorf("leads %+v", res.Leads)
	}
}

func testTable(t *testing.T) (*table, *Model) {
	recs := append(readFile(t, "left.csv"), readFile(t, "right.csv")...)
	ptrs := make([]*Record, len(recs))
	for i := range recs {
		ptrs[i] = &recs[i]
	}
	tb := prepareTable(ptrs, &gazetteerPlaces{}, 1)
	setTermFrequencies(tb, tfMaxUp, tfMaxDown)
	var u [numFields][]float64
	for f := range u {
		u[f] = append([]float64(nil), defaultU[f]...)
	}
	hist := make([]float64, numPatterns)
	for i := range tb.p {
		for j := i + 1; j < len(tb.p); j++ {
			var lv [numFields]uint8
			compare(tb, i, j, &lv)
			hist[patternOf(&lv)]++
		}
	}
	return tb, fitModel(hist, u, float64(len(recs)), float64(len(recs)*len(recs)/2))
}

// Property: a pair scores the same whichever record comes first.
func TestScoreIsSymmetric(t *testing.T) {
	tb, md := testTable(t)
	for i := range tb.p {
		for j := range tb.p {
			var a, b [numFields]uint8
			compare(tb, i, j, &a)
			compare(tb, j, i, &b)
			if a != b {
				t.Fatalf("levels of (%d,%d) %v differ from (%d,%d) %v", i, j, a, j, i, b)
			}
			if x, y := md.logit(tb, i, j, &a, nil), md.logit(tb, j, i, &b, nil); x != y {
				t.Fatalf("score of (%d,%d) %v differs from (%d,%d) %v", i, j, x, j, i, y)
			}
		}
	}
}

// Property: raising the agreement of any one field, from any comparison
// vector, never lowers the score.
func TestMoreAgreementNeverLowersTheScore(t *testing.T) {
	tb, md := testTable(t)
	for _, pair := range [][2]int{{0, 5}, {1, 6}, {2, 3}} {
		for p := 0; p < numPatterns; p++ {
			lv := levelsOf(p)
			base := md.logit(tb, pair[0], pair[1], &lv, nil)
			for f := 0; f < numFields; f++ {
				if lv[f] == 0 || int(lv[f]) == numLevels[f]-1 {
					continue
				}
				up := lv
				up[f]++
				if s := md.logit(tb, pair[0], pair[1], &up, nil); s < base-1e-4 {
					t.Fatalf("raising %s from %s to %s in %v lowered the score %.3f → %.3f",
						fieldNames[f], levelNames[f][lv[f]], levelNames[f][up[f]], lv, base, s)
				}
			}
		}
	}
}

// TestClusterDoesNotChain checks the dedupe clustering rule: a join needs
// the clusters' records to match on average, so one record that looks like
// two different people cannot make them one.
func TestClusterDoesNotChain(t *testing.T) {
	type edge struct {
		i, j int
		p    float64
	}
	for _, tc := range []struct {
		name  string
		n     int
		edges []edge // every scored pair; those ≥ 0.7 are candidates
		want  []int
	}{
		{"chain through a thin record", 3, []edge{{0, 1, 0.95}, {1, 2, 0.9}, {0, 2, 0.05}}, []int{0, 0, 2}},
		{"all alike", 3, []edge{{0, 1, 0.95}, {1, 2, 0.9}, {0, 2, 0.8}}, []int{0, 0, 0}},
		{"joined on average", 3, []edge{{0, 1, 0.95}, {1, 2, 0.9}, {0, 2, 0.6}}, []int{0, 0, 0}},
		{"two pairs bridged once", 4, []edge{{0, 1, 0.99}, {2, 3, 0.99}, {1, 2, 0.8}, {0, 2, 0.1}, {0, 3, 0.1}, {1, 3, 0.2}}, []int{0, 0, 2, 2}},
		{"named by first record", 3, []edge{{1, 2, 0.9}, {0, 2, 0.85}, {0, 1, 0.8}}, []int{0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			score := map[[2]int]float64{}
			var pairs []Pair
			for _, e := range tc.edges {
				score[[2]int{e.i, e.j}], score[[2]int{e.j, e.i}] = e.p, e.p
				if e.p >= 0.7 {
					pairs = append(pairs, Pair{Left: e.i, Right: e.j, Score: e.p})
				}
			}
			slices.SortFunc(pairs, func(a, b Pair) int { return cmp.Compare(b.Score, a.Score) })
			got := cluster(tc.n, pairs, func(i, j int) float64 { return score[[2]int{i, j}] }, 0.7)
			if !slices.Equal(got, tc.want) {
				t.Errorf("clusters %v, want %v", got, tc.want)
			}
		})
	}
}

// TestNameLevels checks the grading of two names, in particular that a
// shared given name (written first) is told apart from a shared family
// name, the sibling pattern.
func TestNameLevels(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want uint8
	}{
		{"Tumpa Das", "Tumpa Das", nameExact},
		{"Puja Kumari Yadav", "Pooja Yadav", nameExact}, // spelling habits folded, Kumari weak
		{"Tumpa Das", "Tumpa Dag", namePartialFirst},
		{"Rina Das", "Tumpa Das", namePartial},
		{"Das Rina", "Tumpa Das", namePartial},
		{"Rakhika Gurung", "Radhika Gurung", namePartialAlike}, // a typing error past "similar"
		{"Sunita Gurung", "Manisha Gurung", namePartial},       // a sister
		{"Rina", "Rina Das", nameSubset},
		{"Manisha Tamang", "Tamang Manisha", nameExact}, // order does not matter
		{"Anjisha Gurung", "Ajnisha Gurung", nameFuzzy},
		{"Rina Das", "Sunita Pal", nameDifferent},
		{"Rina", "", nameMissing},
	} {
		pa, pb := parseName(tc.a), parseName(tc.b)
		got := compareNames(pa.n, pb.n, &pa.tk, &pb.tk, &pa.mask, &pb.mask, pa.full, pb.full, pa.key, pb.key, &pa.words, &pb.words, pa.first, pb.first)
		back := compareNames(pb.n, pa.n, &pb.tk, &pa.tk, &pb.mask, &pa.mask, pb.full, pa.full, pb.key, pa.key, &pb.words, &pa.words, pb.first, pa.first)
		if got != tc.want || back != got {
			t.Errorf("%q vs %q: %s (reversed %s), want %s", tc.a, tc.b, levelNames[fName][got], levelNames[fName][back], levelNames[fName][tc.want])
		}
	}
}

// TestImpliedFamilyName checks that a given name alone takes the family
// name of its guardian's name when the other record has a family name of
// its own, and only then.
func TestImpliedFamilyName(t *testing.T) {
	for _, tc := range []struct {
		name, guardian   string
		name2, guardian2 string
		want             uint8
	}{
		{"Kalina", "Manoj Yadav", "कलीना यादव", "", nameExact},          // her family name, in the other field
		{"Kalina", "Suresh Sah", "Kalina Yadav", "", namePartialFirst},  // a namesake of another family
		{"Kalina", "Manoj Yadav", "Kalina", "", nameExact},              // nothing to set it against
		{"Kalina", "Manoj Yadav", "Kalina", "Suresh Sah", nameExact},    // both implied: the guardians weigh that
		{"Kalina Kumari", "Manoj Yadav", "Kalina Yadav", "", nameExact}, // Kumari is no family name
		{"Kalina", "Manoj", "Kalina Yadav", "", nameSubset},             // the guardian's name has no family name
		{"Rina D/o Tapan Das", "", "Rina Das", "", nameExact},           // guardian named inside the name field
	} {
		recs := []*Record{
			{ID: "a", Name: tc.name, Guardian: tc.guardian, Age: -1},
			{ID: "b", Name: tc.name2, Guardian: tc.guardian2, Age: -1},
		}
		tb := prepareTable(recs, nil, 1)
		var ab, ba [numFields]uint8
		compare(tb, 0, 1, &ab)
		compare(tb, 1, 0, &ba)
		if ab[fName] != tc.want || ba[fName] != ab[fName] {
			t.Errorf("%q (%q) vs %q (%q): %s (reversed %s), want %s", tc.name, tc.guardian, tc.name2, tc.guardian2,
				levelNames[fName][ab[fName]], levelNames[fName][ba[fName]], levelNames[fName][tc.want])
		}
	}
}

// TestBlockingSurvivesOneMissingField checks that a true pair reaches
// scoring when one record lacks the field a blocking key would need: the
// sex, the village (only the district given), the district (only the
// village given). The names differ by a typing error, so no name key meets.
func TestBlockingSurvivesOneMissingField(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		what string
		l, r Record
	}{
		{"no sex on one record",
			Record{ID: "l", Name: "Kalesha Mandal", Sex: 'F', Age: -1, Guardian: "Vedpal Mandal"},
			Record{ID: "r", Name: "Kalehsa Mandal", Age: -1, Guardian: "Vedpal Mandal"}},
		{"village on one record, district on the other",
			Record{ID: "l", Name: "Ranvati", Sex: 'F', Age: -1, Guardian: "Rajdeep Mandal", Village: "Mohannagar", District: "Purnia"},
			Record{ID: "r", Name: "Ranmati", Sex: 'F', Age: -1, Guardian: "Rajdeep Mandal", District: "Purnia"}},
		{"no district on one record",
			Record{ID: "l", Name: "Nazia", Sex: 'F', Age: 14, RecordedOn: day(2022), Village: "Madhomadhopur", District: "Muzaffarpur"},
			Record{ID: "r", Name: "Nazi", Age: 17, RecordedOn: day(2025), Village: "Madhomadhopoor"}},
	} {
		seen := false
		Link([]Record{tc.l}, []Record{tc.r}, Options{Workers: 1, Observe: func(int, int, float64) { seen = true }})
		if !seen {
			t.Errorf("%s: the pair was never compared", tc.what)
		}
	}
}
