package linkage

import (
	"errors"
	"strings"
	"testing"
	"time"

	"atip/internal/phone"
)

func TestReadCSV(t *testing.T) {
	in := "\ufeffPhone,ID,name,age,recorded_on,sex,country,extra\n" +
		"+977 9841234567,n1,सीता तामाङ,१४,2024-02-01,f,np,x\n" +
		"  ,n2,,,,,,\n"
	recs, err := ReadCSV(strings.NewReader(in), "in.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records", len(recs))
	}
	r := recs[0]
	if r.ID != "n1" || r.Name != "सीता तामाङ" || r.Age != 14 || r.Sex != 'F' || r.Country != "NP" ||
		!r.RecordedOn.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) || r.Phone != "+977 9841234567" {
		t.Errorf("first record read as %+v", r)
	}
	if recs[1].Age != -1 || recs[1].Sex != 0 || !recs[1].RecordedOn.IsZero() {
		t.Errorf("empty fields read as %+v", recs[1])
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in   string
		line       int
		field, msg string
	}{
		{"empty file", "", 1, "", "empty"},
		{"no id column", "name,age\nSita,12\n", 1, "id", "no id column"},
		{"empty id", "id,name\n,Sita\n", 2, "id", "empty"},
		{"duplicate id", "id\na\nb\na\n", 4, "id", "duplicate id (first on line 2)"},
		{"bad age", "id,age\na,twelve\n", 2, "age", "whole number"},
		{"negative age", "id,age\na,-3\n", 2, "age", "whole number"},
		{"bad date", "id,recorded_on\na,01/02/2024\n", 2, "recorded_on", "YYYY-MM-DD"},
		{"bad sex", "id,sex\na,female-ish\n", 2, "sex", "F, M, X"},
		{"bad country", "id,country\na,Nepal\n", 2, "country", "ISO 3166"},
		{"invalid UTF-8", "id,name\na,\xff\xfe\n", 2, "name", "UTF-8"},
		{"ragged row", "id,name\na,b,c\n", 2, "", "number of fields"},
		{"bad quoting", "id,name\na,\"b\n", 2, "", "not valid CSV"},
		{"column twice", "id,name,name\na,b,c\n", 1, "name", "twice"},
	}
	for _, tt := range tests {
		_, err := ReadCSV(strings.NewReader(tt.in), "people.csv")
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: got %v, want an InputError", tt.name, err)
			continue
		}
		if ie.File != "people.csv" || ie.Line != tt.line || ie.Field != tt.field || !strings.Contains(ie.Msg, tt.msg) {
			t.Errorf("%s: got %q (line %d, field %q)", tt.name, err, ie.Line, ie.Field)
		}
	}
}

// The messages never quote the offending value, which may be a name.
func TestReadCSVErrorsHoldNoPersonalData(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("id,age\nSECRET-ID,Secret Name\n"), "f.csv")
	if err == nil || strings.Contains(err.Error(), "Secret") || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %q", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("id,name,age\na,Sita,12\n")
	f.Add("\ufeffid,recorded_on,country\n1,2024-01-01,IN\n2,,\n")
	f.Add("id\n\"a\nb\"\n")
	f.Add("name\nx\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ReadCSV(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is not an InputError: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range recs {
			if r.ID == "" || seen[r.ID] {
				t.Fatalf("empty or duplicate id accepted: %q", r.ID)
			}
			seen[r.ID] = true
			if r.Age < -1 || r.Age > 130 {
				t.Fatalf("age %d accepted", r.Age)
			}
		}
	})
}

// TestPhoneKeyKeepsTheNumber checks that collapsing the ways a number is
// written, done to validate each number once, never changes what the number
// normalises to.
func TestPhoneKeyKeepsTheNumber(t *testing.T) {
	for _, tc := range []struct{ raw, region, key string }{
		{"98301 23456", "IN", "9830123456"},
		{"98301-23456", "IN", "9830123456"},
		{" +91 98301.23456 ", "", "+919830123456"},
		{"०९८३०१२३४५६", "IN", "09830123456"},
		{"(033) 2222 3333", "IN", "(033) 2222 3333"}, // brackets: left to the parser
		{"98301 23456 ext 12", "IN", "98301 23456 ext 12"},
		{"9+8301", "IN", "9+8301"},
	} {
		k := phoneKey(tc.raw)
		if k != tc.key {
			t.Errorf("phoneKey(%q) = %q, want %q", tc.raw, k, tc.key)
		}
		e1, ok1 := phone.Normalize(tc.raw, tc.region)
		e2, ok2 := phone.Normalize(k, tc.region)
		if e1 != e2 || ok1 != ok2 {
			t.Errorf("%q normalises to %q,%v but its key %q to %q,%v", tc.raw, e1, ok1, k, e2, ok2)
		}
	}
}
