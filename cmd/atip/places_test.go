package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runAtip(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = runMain(context.Background(), env, args)
	return out.String(), errb.String(), code
}

func TestPlacesCommand(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string
		notOut     []string
		wantStderr string
	}{
		{"search folds spellings", []string{"places", "search", "24", "Parganas", "South"}, 0,
			[]string{"IN-WB-SOUTH_24_PARGANAS", "India > West Bengal"}, []string{"NORTH_24"}, ""},
		{"search within", []string{"places", "search", "Aurangabad", "--within", "IN-MH"}, 0,
			[]string{"IN-MH-CHHATRAPATI_SAMBHAJINAGAR"}, []string{"IN-BR-AURANGABAD"}, ""},
		{"search flags first", []string{"places", "--within=NP", "search", "Lalitpur"}, 0,
			[]string{"NP-P3-LALITPUR"}, []string{"IN-UP-LALITPUR"}, ""},
		{"search level", []string{"places", "search", "Dhaka", "--level", "state"}, 0,
			[]string{"BD-C "}, []string{"BD-C-DHAKA"}, ""},
		{"search falls back to prefixes", []string{"places", "search", "Sindhupal"}, 0,
			[]string{"names starting so", "NP-P3-SINDHUPALCHOK"}, nil, ""},
		{"search suggests near misses", []string{"places", "search", "Sitamari"}, 0,
			[]string{"did you mean", "IN-BR-SITAMARHI"}, nil, ""},
		{"search local script", []string{"places", "search", "काठमाडौँ"}, 0, []string{"NP-P3-KATHMANDU"}, nil, ""},
		{"search nothing", []string{"places", "search", "Springfieldxyz"}, 1, nil, nil, "no place matches"},
		{"show", []string{"places", "show", "np-p3-sindhupalchok"}, 0,
			[]string{"Nepal > Bagmati > Sindhupalchok", "सिन्धुपाल्चोक", "Sindhupalchowk", "sindupalchok"}, nil, ""},
		{"show division", []string{"places", "show", "BD-B"}, 0,
			[]string{"division (state level)", "Chittagong", "11 places"}, nil, ""},
		{"show unknown", []string{"places", "show", "IN-XX"}, 1, nil, nil, `no place has the code "IN-XX"`},
		{"list", []string{"places", "list", "IN-SK"}, 0, []string{"IN-SK-GANGTOK", "IN-SK-SORENG"}, []string{"IN-WB"}, ""},
		{"list countries", []string{"places", "list"}, 0, []string{"IN ", "NP ", "BD ", "LK ", "AE "}, nil, ""},
		{"no subcommand", []string{"places"}, 2, nil, nil, "missing subcommand"},
		{"bad subcommand", []string{"places", "find", "x"}, 2, nil, nil, "unknown subcommand"},
		{"search without name", []string{"places", "search"}, 2, nil, nil, "missing NAME"},
		{"bad within", []string{"places", "search", "x", "--within", "IN-ZZ"}, 2, nil, nil, "--within"},
		{"bad level", []string{"places", "search", "x", "--level", "village"}, 2, nil, nil, "--level"},
		{"bad flag", []string{"places", "search", "x", "--nope"}, 2, nil, nil, "flag provided but not defined"},
		{"help", []string{"places", "-h"}, 0, []string{"atip places search NAME"}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := runAtip(t, tc.args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.wantCode, out, errs)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notOut {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q:\n%s", w, out)
				}
			}
			if tc.wantStderr != "" && !strings.Contains(errs, tc.wantStderr) {
				t.Errorf("stderr lacks %q: %q", tc.wantStderr, errs)
			}
		})
	}
}

func TestPlacesJSON(t *testing.T) {
	out, errs, code := runAtip(t, "places", "search", "Jessore", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []placeJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(got) != 1 || got[0].Code != "BD-D-JASHORE" || got[0].ISO != "BD-22" || got[0].Parent != "BD-D" ||
		strings.Join(got[0].Path, ">") != "Bangladesh>Khulna>Jashore" {
		t.Errorf("got %+v", got)
	}
	out, _, code = runAtip(t, "places", "search", "Springfieldxyz", "--json")
	if code != 1 || strings.TrimSpace(out) != "[]" {
		t.Errorf("no match: exit %d, output %q; want 1 and []", code, out)
	}
}
