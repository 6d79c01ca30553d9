package sop

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"time"
)

//go:embed procedures/*.yaml
var shipped embed.FS

// DeadlineFile is the name of the deadline table among the procedure files.
const DeadlineFile = "deadlines.yaml"

// Set is the procedures in force — every version of each, so that a case
// keeps the version it was instantiated with — and the deadline table they
// refer to.
type Set struct {
	deadlines map[string]Deadline
	versions  map[string][]*Procedure // by id, ascending version
}

// NewSet returns a set with the given deadline table and no procedures.
func NewSet(deadlines map[string]Deadline) *Set {
	return &Set{deadlines: deadlines, versions: map[string][]*Procedure{}}
}

// Default returns the procedures and deadline table shipped with ATIP.
func Default() (*Set, error) { return LoadFS(shipped, "procedures") }

// LoadFS reads a deadline table (DeadlineFile) and every other *.yaml file
// in dir as a procedure. Errors from all files are reported together.
func LoadFS(fsys fs.FS, dir string) (*Set, error) {
	data, err := fs.ReadFile(fsys, path.Join(dir, DeadlineFile))
	if err != nil {
		return nil, fmt.Errorf("sop: %w", err)
	}
	table, err := ParseDeadlines(DeadlineFile, data)
	if err != nil {
		return nil, err
	}
	s := NewSet(table)
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var errs ParseErrors
	for _, name := range names {
		base := path.Base(name)
		if base == DeadlineFile {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, err := ParseProcedure(base, data)
		if err == nil {
			err = s.Add(p)
		}
		if pe, ok := err.(ParseErrors); ok {
			errs = append(errs, pe...)
		} else if err != nil {
			return nil, err
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

// Deadline returns an entry of the deadline table.
func (s *Set) Deadline(id string) (Deadline, bool) {
	d, ok := s.deadlines[id]
	return d, ok
}

// Add adds a parsed procedure version. It checks the deadlines its steps
// name against the table, and that the version is new: a version once used by
// a case never changes, so an edit must raise the number.
func (s *Set) Add(p *Procedure) error {
	var errs ParseErrors
	for i, st := range p.Steps {
		if st.Due == nil || st.Due.Deadline == "" {
			continue
		}
		d, ok := s.deadlines[st.Due.Deadline]
		field := fmt.Sprintf("steps[%d].due.deadline", i)
		switch {
		case !ok:
			errs = append(errs, ParseError{File: p.File, Field: field, Msg: fmt.Sprintf("%q is not in the deadline table", st.Due.Deadline)})
		case d.From == "" && st.Due.After == "":
			errs = append(errs, ParseError{File: p.File, Field: field, Msg: "the deadline names no start; give after"})
		}
	}
	for _, q := range s.versions[p.ID] {
		if q.Version >= p.Version {
			errs = append(errs, ParseError{File: p.File, Field: "version",
				Msg: fmt.Sprintf("procedure %s already has version %d (in %s); a new version must be higher", p.ID, q.Version, q.File)})
			break
		}
	}
	if len(errs) > 0 {
		return errs
	}
	s.versions[p.ID] = append(s.versions[p.ID], p)
	return nil
}

// Get returns one version of a procedure.
func (s *Set) Get(id string, version int) (*Procedure, bool) {
	for _, p := range s.versions[id] {
		if p.Version == version {
			return p, true
		}
	}
	return nil, false
}

// Latest returns the newest version of a procedure.
func (s *Set) Latest(id string) (*Procedure, bool) {
	v := s.versions[id]
	if len(v) == 0 {
		return nil, false
	}
	return v[len(v)-1], true
}

// IDs returns the ids of the procedures in the set, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.versions))
	for id := range s.versions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Applicable returns the latest version of every procedure whose conditions
// match the facts, in id order.
func (s *Set) Applicable(f Facts) []*Procedure {
	var out []*Procedure
	for _, id := range s.IDs() {
		p, _ := s.Latest(id)
		if p.Applies(f) {
			out = append(out, p)
		}
	}
	return out
}

// Instantiate makes the checklist of a case from the procedures given
// (usually s.Applicable(facts)): every step whose own conditions match,
// with its due time computed from intakeAt. journey is the time the journey
// to the authority took, which statutory deadlines marked exclude_journey do
// not count; it may be set later with SetJourney.
func (s *Set) Instantiate(procs []*Procedure, f Facts, intakeAt time.Time, journey time.Duration) (*Checklist, error) {
	return instantiate(procs, s.deadlines, f, intakeAt, journey)
}
