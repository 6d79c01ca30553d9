package sop

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkInstantiate: the checklist of a new case (a Nepali child
// intercepted in India: three procedures, 24 steps).
func BenchmarkInstantiate(b *testing.B) {
	s, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	f := Facts{Country: "IN", Child: true, ForeignNational: true, CrossBorder: true, Sex: "female"}
	intake := ist("2026-03-10 10:00")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Instantiate(s.Applicable(f), f, intake, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverdueByRole10k: a state dashboard over 10,000 open cases.
func BenchmarkOverdueByRole10k(b *testing.B) {
	s, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	f := Facts{Country: "IN", Child: true, ForeignNational: true, CrossBorder: true, Sex: "female"}
	lists := map[string]*Checklist{}
	start := ist("2026-01-01 00:00")
	for i := range 10_000 {
		c, err := s.Instantiate(s.Applicable(f), f, start.Add(time.Duration(i)*7*time.Minute), 0)
		if err != nil {
			b.Fatal(err)
		}
		lists[fmt.Sprint(i)] = c
	}
	now := start.Add(40 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if len(OverdueByRole(lists, now)) == 0 {
			b.Fatal("nothing overdue")
		}
	}
}
