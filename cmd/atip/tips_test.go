package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = runMain(context.Background(), env, args)
	return code, out.String(), errb.String()
}

type scoredLine struct {
	ID         any     `json:"id"`
	Platform   string  `json:"platform"`
	Text       string  `json:"text"`
	Score      float64 `json:"score"`
	Indicators []struct {
		ID         string `json:"id"`
		Label      string `json:"label"`
		Start, End int
	} `json:"indicators"`
	Selectors []struct {
		Type, Value, Normalized string
	} `json:"selectors"`
}

func readScored(t *testing.T, path string) []scoredLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []scoredLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l scoredLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

func TestTipsScore(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "scored.jsonl")
	code, _, stderr := runCmd(t, "tips", "score", "--in", "testdata/tips_posts.jsonl", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := readScored(t, out)
	if len(lines) != 4 {
		t.Fatalf("%d output lines, want 4", len(lines))
	}
	if lines[0].Platform != "facebook" || lines[0].ID != "p1" {
		t.Errorf("input fields not kept: %+v", lines[0])
	}
	for i, want := range []bool{true, true, false, false} {
		if got := lines[i].Score >= 0.5; got != want {
			t.Errorf("line %d score %v, want flagged=%v", i+1, lines[i].Score, want)
		}
	}
	for _, l := range lines {
		for _, in := range l.Indicators {
			if in.Start < 0 || in.End > len(l.Text) || in.Start >= in.End || in.ID == "" || in.Label == "" {
				t.Errorf("bad indicator %+v in %q", in, l.Text)
			}
		}
	}
	hasPhone := func(l scoredLine) bool {
		for _, s := range l.Selectors {
			if s.Type == "phone" && s.Normalized == "+919830123456" {
				return true
			}
		}
		return false
	}
	if !hasPhone(lines[0]) || !hasPhone(lines[1]) {
		t.Errorf("phone not found in both posts: %+v / %+v", lines[0].Selectors, lines[1].Selectors)
	}

	// networks over the scored file: p1 and p2 share the phone.
	csvPath := filepath.Join(dir, "networks.csv")
	code, _, stderr = runCmd(t, "tips", "networks", "--in", out, "--out", csvPath)
	if code != 0 {
		t.Fatalf("networks exit %d: %s", code, stderr)
	}
	f, _ := os.Open(csvPath)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "id" || rows[0][1] != "network_id" {
		t.Fatalf("rows %v", rows)
	}
	if rows[1][1] != rows[2][1] || rows[3][1] == rows[1][1] || rows[4][0] != "4" {
		t.Errorf("networks %v", rows)
	}
}

func TestTipsMalformedLine(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte("\ufeff"+`{"id":"a","text":"hello"}`+"\r"+`
{"id":"b","text":"x"
{"text":"no id"}
{"id":"c","text":"fine"}
`), 0o600)
	out := filepath.Join(dir, "out.jsonl")
	for _, sub := range []string{"score", "networks"} {
		code, _, stderr := runCmd(t, "tips", sub, "--in", in, "--out", out)
		if code != 1 || !strings.Contains(stderr, "line 2") {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 naming line 2", sub, code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: output file left behind after an error", sub)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("%s: temporary files left: %v", sub, entries)
		}
	}
	code, _, stderr := runCmd(t, "tips", "score", "--in", in, "--out", out, "--skip-invalid")
	if code != 0 || !strings.Contains(stderr, "skipped 2 invalid") || !strings.Contains(stderr, `line 3: missing "id"`) {
		t.Fatalf("skip-invalid: exit %d, stderr %q", code, stderr)
	}
	if got := readScored(t, out); len(got) != 2 || got[1].ID != "c" {
		t.Errorf("skip-invalid output %+v", got)
	}
}

func TestTipsLineErrors(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`[1,2]`, "not a JSON object"},
		{`{"id":"a"}`, `missing "text"`},
		{`{"id":"","text":"x"}`, `"id" is empty`},
		{`{"id":true,"text":"x"}`, `"id" must be a string or a number`},
		{`{"id":"a","text":5}`, `field "text" has the wrong type`},
	} {
		dir := t.TempDir()
		in := filepath.Join(dir, "in.jsonl")
		os.WriteFile(in, []byte(tc.line+"\n"), 0o600)
		code, _, stderr := runCmd(t, "tips", "score", "--in", in, "--out", filepath.Join(dir, "o"))
		if code != 1 || !strings.Contains(stderr, "line 1: "+tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", tc.line, code, stderr, tc.want)
		}
	}
}

func TestTipsUsage(t *testing.T) {
	for _, args := range [][]string{{"tips"}, {"tips", "bogus"}, {"tips", "score", "--in", "x"}, {"tips", "score", "--nope"}} {
		if code, _, _ := runCmd(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestTipsFit(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "fb.jsonl")
	os.WriteFile(in, []byte(`{"text":"girls only dance bar Dubai passport kept","relevant":true}
{"text":"beware of fake job offers, report to police","relevant":false}
`), 0o600)
	out := filepath.Join(dir, "model.json")
	code, _, stderr := runCmd(t, "tips", "fit", "--in", in, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	var m struct {
		Weights map[string]float64
		Fit     struct{ Examples int }
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Fit.Examples != 2 || len(m.Weights) == 0 {
		t.Fatalf("model %s (%v)", b, err)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\back`, "ctl\x00\x1f\n\t", "bad\xff\xfeutf8", "line\u2028sep", "देवनागरी <b>&"} {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encoded as invalid JSON %s: %v", s, b, err)
		}
		std, _ := json.Marshal(s)
		var want string
		json.Unmarshal(std, &want)
		if got != want {
			t.Errorf("%q came back as %q", s, got)
		}
	}
}

// FuzzScoreLines feeds arbitrary input to the JSON Lines reader of
// `tips score`: it must never panic, and whatever it accepts it must write
// back as valid JSON with indicator and selector spans inside the text.
func FuzzScoreLines(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","text":"girls only, age 16-18, call ९८३०१२३४५६"}`,
		`{"id":1,"text":""}` + "\n" + `{"id":2,"text":"x","score":0.3}`,
		`{"id":"a","text":"\ud800 bad surrogate wa.me/919830123456"}`,
		`{"id":"a","text":5}`, `[]`, `{`, "\n\n", `{"id":"a","text":"a","extra":{"nested":[1,2]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		if _, _, err := scoreStream(context.Background(), bytes.NewReader(in), &out, true, io.Discard); err != nil {
			return
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 8<<20)
		for sc.Scan() {
			var l struct {
				Text       string
				Score      float64
				Indicators []struct{ Start, End int }
				Selectors  []struct{ Start, End int }
			}
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("invalid output line %q: %v", sc.Bytes(), err)
			}
			for _, sp := range append(l.Indicators, l.Selectors...) {
				if sp.Start < 0 || sp.End > len(l.Text) || sp.Start > sp.End {
					t.Fatalf("span %+v outside text of %d bytes", sp, len(l.Text))
				}
			}
		}
	})
}

// networks: near-duplicate texts join, a shared helpline number does not,
// and lines without selectors get them extracted.
func TestTipsNetworksRules(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "posts.jsonl")
	tmpl := "दुबई में होटल में काम के लिए सिर्फ लड़कियां चाहिए, उम्र %d साल, वेतन %d हजार महीना, वीजा और टिकट फ्री, पासपोर्ट कंपनी के पास रहेगा, संपर्क करें %s"
	lines := []string{
		fmt.Sprintf(`{"id":"a","text":%q}`, fmt.Sprintf(tmpl, 19, 80, "रीना")),
		fmt.Sprintf(`{"id":"b","text":%q}`, fmt.Sprintf(tmpl, 22, 90, "सीमा")),
		`{"id":"c","text":"If you see a child in danger call 1098. Stay alert."}`,
		`{"id":"d","text":"Childline 1098 helped our neighbour's son. Thank you!"}`,
		`{"id":"e","text":"Call wa.me/919830123456 for the job"}`,
		`{"id":"f","text":"same agent: 98301 23456","selectors":[]}`,
		`{"id":"g","text":"same agent: 98301 23456"}`,
	}
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	out := filepath.Join(dir, "n.csv")
	if code, _, stderr := runCmd(t, "tips", "networks", "--in", in, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, _ := os.Open(out)
	defer f.Close()
	rows, _ := csv.NewReader(f).ReadAll()
	net := map[string]string{}
	for _, r := range rows[1:] {
		net[r[0]] = r[1]
	}
	if net["a"] != net["b"] {
		t.Errorf("near-duplicate posts in different networks: %v", net)
	}
	if net["c"] == net["d"] {
		t.Errorf("posts sharing only a helpline number were joined: %v", net)
	}
	if net["e"] == net["f"] {
		t.Errorf("an empty selectors list is taken as is, so e and f must stay apart: %v", net)
	}
	if net["e"] != net["g"] {
		t.Errorf("a line without selectors did not have them extracted: %v", net)
	}

	// A local exclusion list (a shelter's own number) adds to the embedded one.
	ex := filepath.Join(dir, "ex.json")
	os.WriteFile(ex, []byte(`{"version":"local","numbers":[{"digits":"9830123456","country":"IN","what":"shelter"}]}`), 0o600)
	if code, _, stderr := runCmd(t, "tips", "networks", "--in", in, "--out", out, "--exclude", ex); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f2, _ := os.Open(out)
	defer f2.Close()
	rows, _ = csv.NewReader(f2).ReadAll()
	for _, r := range rows[1:] {
		net[r[0]] = r[1]
	}
	if net["e"] == net["g"] {
		t.Errorf("an excluded number still links: %v", net)
	}
}
