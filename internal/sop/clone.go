package sop

import (
	"slices"
	"strings"
)

// Clone returns a set with the same deadline table and procedure versions,
// to which an organisation's own versions can be added without changing s.
func (s *Set) Clone() *Set {
	c := &Set{deadlines: s.deadlines, versions: make(map[string][]*Procedure, len(s.versions))}
	for id, v := range s.versions {
		c.versions[id] = slices.Clone(v)
	}
	return c
}

// Versions returns every version of a procedure, oldest first.
func (s *Set) Versions(id string) []*Procedure { return slices.Clone(s.versions[id]) }

// ShippedSource returns the YAML text of a procedure shipped with ATIP, by
// file name (Procedure.File), for an admin to start an own version from.
func ShippedSource(file string) ([]byte, error) { return shipped.ReadFile("procedures/" + file) }

// DeadlineIDs returns the ids of the deadline table's entries containing
// word (all when word is empty), sorted.
func (s *Set) DeadlineIDs(word string) []string {
	var out []string
	for id := range s.deadlines {
		if strings.Contains(id, word) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
