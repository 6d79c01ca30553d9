package sop

import (
	"strings"
	"testing"
	"time"
)

// An organisation's version added to a clone applies there and leaves the
// shipped set as it was; the shipped text is there to start an edit from.
func TestCloneKeepsTheShippedSetApart(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := base.Latest("in-child-rescue")
	src, err := ShippedSource(p.File)
	if err != nil || !strings.Contains(string(src), "id: in-child-rescue") {
		t.Fatalf("shipped source: %v", err)
	}
	own, err := ParseProcedure("own.yaml", []byte(strings.Replace(string(src), "version: 1", "version: 2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	c := base.Clone()
	if err := c.Add(own); err != nil {
		t.Fatal(err)
	}
	if q, _ := c.Latest("in-child-rescue"); q.Version != 2 {
		t.Fatalf("clone: version %d", q.Version)
	}
	if q, _ := base.Latest("in-child-rescue"); q.Version != 1 {
		t.Fatalf("the shipped set changed: version %d", q.Version)
	}
	if n := len(c.Versions("in-child-rescue")); n != 2 {
		t.Fatalf("%d versions in the clone", n)
	}
}

// Nepal's procedure counts in Kathmandu time (UTC+5:45), and its steps that
// count from an arrest wait for it.
func TestNepalProcedureCountsInKathmanduTime(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := Facts{Country: "NP", Sex: "female", Exploitation: []string{"sexual_exploitation"}}
	ktm, _ := time.LoadLocation("Asia/Kathmandu")
	intake := time.Date(2026, 3, 1, 23, 30, 0, 0, ktm)
	c, err := s.Instantiate(s.Applicable(f), f, intake, 0)
	if err != nil {
		t.Fatal(err)
	}
	if it := c.Item("np-returnee-victim/family_verification"); it == nil || !it.Due.Equal(time.Date(2026, 3, 16, 23, 30, 0, 0, ktm)) {
		t.Fatalf("family verification: %+v", it)
	}
	comp := c.Item("np-returnee-victim/compensation_claim")
	if comp == nil || !comp.Due.IsZero() || comp.WaitingOn != "event:arrest" {
		t.Fatalf("compensation before an arrest: %+v", comp)
	}
	arrest := time.Date(2026, 3, 2, 10, 0, 0, 0, ktm)
	c.SetEvent("arrest", arrest)
	if got := c.Item("np-returnee-victim/suspect_production").Due; !got.Equal(arrest.Add(24 * time.Hour)) {
		t.Fatalf("suspect production due %v", got.In(ktm))
	}
	if got := c.Item("np-returnee-victim/compensation_claim").Due; !got.Equal(time.Date(2026, 4, 1, 10, 0, 0, 0, ktm)) {
		t.Fatalf("compensation claim due %v", got.In(ktm))
	}
}
