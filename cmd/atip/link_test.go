package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runAtip runs the command line in-process and returns its exit status and
// stderr.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runMain(context.Background(), env, args)
	return code, stderr.String()
}

func writeInput(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	leftCSV = "id,name,sex,age,recorded_on,guardian_name,village,district,state,country,phone\n" +
		"M-1,पूजा कुमारी,F,14,2021-03-10,रमेश साह,रामपुर,Sitamarhi,Bihar,IN,9801234567\n" +
		"M-2,Sumaiya Akter,F,16,2020-11-02,Md. Rahim Uddin,Charpara,Satkhira,,BD,01711234567\n"
	rightCSV = "phone,country,state,district,village,guardian_name,recorded_on,age,sex,name,id\n" +
		"+91 98012 34567,IN,,Sitamarhi,Rampoor,Ramesh Sah,2023-05-01,16,F,Pooja Kumari,I-10\n" +
		",BD,,সাতক্ষীরা,চরপাড়া,রহিম উদ্দিন,2023-09-30,19,F,সুমাইয়া আক্তার,I-11\n" +
		",NP,,,,,,,,Gita Rai,I-12\n"
)

func TestLinkWritesPairs(t *testing.T) {
	dir := t.TempDir()
	l, r := writeInput(t, dir, "l.csv", leftCSV), writeInput(t, dir, "r.csv", rightCSV)
	out := filepath.Join(dir, "pairs.csv")
	if code, stderr := runCLI(t, "link", "--left", l, "--right", r, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "left_id,right_id,score" || len(lines) != 3 {
		t.Fatalf("output:\n%s", b)
	}
	got := map[string]bool{}
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		got[f[0]+" "+f[1]] = true
		if f[2] < "0.7" || f[2] > "1.000000" {
			t.Errorf("score %s outside [threshold, 1]", f[2])
		}
	}
	if !got["M-1 I-10"] || !got["M-2 I-11"] {
		t.Errorf("pairs %v", got)
	}
}

func TestLinkExplainAndThreshold(t *testing.T) {
	dir := t.TempDir()
	l, r := writeInput(t, dir, "l.csv", leftCSV), writeInput(t, dir, "r.csv", rightCSV)
	out := filepath.Join(dir, "pairs.csv")
	if code, stderr := runCLI(t, "link", "--left", l, "--right", r, "--out", out, "--threshold", "0.5", "--explain"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "left_id,right_id,score,explanation\n") || !strings.Contains(string(b), "name=same spelling") {
		t.Errorf("output:\n%s", b)
	}
}

func TestDedupeWritesEveryRow(t *testing.T) {
	dir := t.TempDir()
	in := writeInput(t, dir, "p.csv", leftCSV+
		"I-10,Pooja Kumari,F,16,2023-05-01,Ramesh Sah,Rampoor,Sitamarhi,,IN,+91 98012 34567\n"+
		"I-12,Gita Rai,,,,,,,,NP,\n")
	out := filepath.Join(dir, "clusters.csv")
	if code, stderr := runCLI(t, "dedupe", "--in", in, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	want := "id,cluster_id\nM-1,M-1\nM-2,M-2\nI-10,M-1\nI-12,I-12\n"
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}

// Bad input: a message naming file, line and field, a non-zero exit, and
// no output file — not even an old one damaged.
func TestBadInputLeavesNoOutput(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"missing header", "", "line 1: the file is empty"},
		{"no id column", "name,age\nSita,12\n", "line 1, field id"},
		{"duplicate id", "id,name\na,Sita\na,Gita\n", "line 3, field id: duplicate id"},
		{"bad date", "id,recorded_on\na,2024-13-01\n", "line 2, field recorded_on"},
		{"bad age", "id,age\na,about 12\n", "line 2, field age"},
		{"invalid UTF-8", "id,name\na,\xff\n", "line 2, field name: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := writeInput(t, dir, "bad.csv", tt.content)
			good := writeInput(t, dir, "good.csv", leftCSV)
			out := filepath.Join(dir, "out.csv")
			code, stderr := runCLI(t, "link", "--left", good, "--right", bad, "--out", out)
			if code != 1 || !strings.Contains(stderr, bad) || !strings.Contains(stderr, tt.want) {
				t.Errorf("link: exit %d, stderr %q", code, stderr)
			}
			code, stderr = runCLI(t, "dedupe", "--in", bad, "--out", out)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("dedupe: exit %d, stderr %q", code, stderr)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "bad.csv" && e.Name() != "good.csv" {
					t.Errorf("left behind %s", e.Name())
				}
			}
		})
	}
}

func TestBadInputKeepsAnOlderOutput(t *testing.T) {
	dir := t.TempDir()
	out := writeInput(t, dir, "out.csv", "old results\n")
	bad := writeInput(t, dir, "bad.csv", "id\na\na\n")
	if code, _ := runCLI(t, "dedupe", "--in", bad, "--out", out); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if b, _ := os.ReadFile(out); string(b) != "old results\n" {
		t.Errorf("older output changed to %q", b)
	}
}

func TestLinkUsageErrors(t *testing.T) {
	dir := t.TempDir()
	l := writeInput(t, dir, "l.csv", leftCSV)
	for _, args := range [][]string{
		{"link"},
		{"link", "--left", l, "--right", l},
		{"link", "--left", l, "--right", l, "--out", "x.csv", "--threshold", "1.5"},
		{"link", "--left", l, "--right", l, "--out", "x.csv", "extra"},
		{"dedupe", "--out", "x.csv"},
		{"dedupe", "--in", l, "--out", "x.csv", "--threshold", "0"},
	} {
		if code, _ := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, stderr := runCLI(t, "link", "--left", filepath.Join(dir, "missing.csv"), "--right", l, "--out", filepath.Join(dir, "o.csv"))
	if code != 1 || !strings.Contains(stderr, "missing.csv") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}
