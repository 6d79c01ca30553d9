package sop

import (
	"strings"
	"testing"
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
