package sop

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func seedShipped(f *testing.F) {
	names, _ := fs.Glob(shipped, "procedures/*.yaml")
	for _, n := range names {
		data, _ := fs.ReadFile(shipped, n)
		f.Add(data)
	}
	f.Add([]byte(procV1))
	f.Add([]byte("id: &a x\ntitle: *a\n"))
	f.Add([]byte("steps: [{due: {after: step:a}}]"))
}

// FuzzParseProcedure: an uploaded document never panics the parser, and a
// document it rejects comes with at least one located message.
func FuzzParseProcedure(f *testing.F) {
	seedShipped(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProcedure("up.yaml", data)
		if err != nil {
			var pe ParseErrors
			if !errors.As(err, &pe) || len(pe) == 0 {
				t.Fatalf("error %v is not a non-empty ParseErrors", err)
			}
			return
		}
		// What parses and names no statutory deadline instantiates, unless
		// a step counts from one its conditions left out.
		s := NewSet(map[string]Deadline{})
		if s.Add(p) == nil {
			if _, err := s.Instantiate([]*Procedure{p}, Facts{}, ist("2026-01-01 00:00"), 0); err != nil && !strings.Contains(err.Error(), "counts from") {
				t.Fatalf("parsed procedure does not instantiate: %v", err)
			}
		}
	})
}

func FuzzParseDeadlines(f *testing.F) {
	seedShipped(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ParseDeadlines("d.yaml", data); err != nil {
			var pe ParseErrors
			if !errors.As(err, &pe) || len(pe) == 0 {
				t.Fatalf("error %v is not a non-empty ParseErrors", err)
			}
		}
	})
}
