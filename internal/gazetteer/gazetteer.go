// Package gazetteer is ATIP's built-in list of places: countries, their
// states (provinces, divisions) and districts, with the alternate, former and
// local-script names that records actually carry. Villages stay free text.
//
// The data lives in data/*.csv, is compiled into the binary and parsed once,
// on first use. Every function is safe for concurrent use. The *Place values
// returned are shared: callers must not modify them.
//
// Codes (see data/SOURCES.md) are ISO 3166-1 for countries, ISO 3166-2 for
// the first-level subdivisions and parent code + "-" + a slug for districts
// ("IN-BR-SITAMARHI"). A published code never changes: a renamed district
// keeps its code and lists its old name as an alternate, so codes are safe to
// store in the database.
//
// Get, Children, Path and All walk the tree. Key turns a name as a record
// spells it into a matching key; Match finds the places a name means, Resolve
// reads a record's country, state and district fields at once, and Search
// serves type-ahead pickers. The package does no I/O and imports nothing
// with state beyond its embedded data (textnorm, translit).
package gazetteer

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"atip/internal/textnorm"
)

// Level is how deep a place sits in the hierarchy.
type Level int

const (
	Country  Level = 1 // an ISO 3166-1 country
	State    Level = 2 // a state or union territory (IN), province (NP, LK) or division (BD)
	District Level = 3 // a district
)

func (l Level) String() string {
	switch l {
	case Country:
		return "country"
	case State:
		return "state"
	case District:
		return "district"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Place is one country, state or district.
type Place struct {
	Code    string // stable code, e.g. "IN-BR-SITAMARHI"
	Name    string // current official English name
	Country string // ISO 3166-1 alpha-2 code of the country it is in ("IN")
	Parent  string // code of the place it is in; "" for a country
	Level   Level
	Kind    string   // what the country calls it: "state", "union territory", "province", "division", "district", "country"
	ISO     string   // ISO 3166 code where ISO defines one ("BD-13" for Dhaka district), else ""
	Alt     []string // alternate, former and local-script names
	Local   []string // the local-script names alone (also in Alt), for display
}

//go:embed data/*.csv
var dataFS embed.FS

type gazetteer struct {
	byCode   map[string]*Place
	all      []*Place            // sorted by code
	children map[string][]*Place // parent code → children sorted by name; "" → countries
	keys     map[string][]hit    // Key → places, best first
	script   map[string][]hit    // scriptKey of local-script names → places, best first
	prefixes []prefixEntry       // sorted by text, for Search
}

var (
	loadOnce sync.Once
	g        *gazetteer
)

// data returns the parsed gazetteer. The data is part of the binary and
// checked by the package tests, so a malformed row is a build defect, not an
// input error: it panics with the file and line rather than limping on with
// half a gazetteer.
func data() *gazetteer {
	loadOnce.Do(func() {
		var err error
		g, err = load(dataFS)
		if err != nil {
			panic("gazetteer: " + err.Error())
		}
	})
	return g
}

var (
	codeRE = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3}(-[A-Z0-9]+(_[A-Z0-9]+)*)?)?$`)
	kinds  = map[string]Level{
		"country":         Country,
		"state":           State,
		"union territory": State,
		"province":        State,
		"division":        State,
		"district":        District,
	}
	header = []string{"code", "kind", "name", "local", "alt", "iso"}
)

// load parses every data/*.csv file of fsys and checks that the rows form a
// tree: unique codes, known kinds, levels agreeing with the codes, parents
// present.
func load(fsys fs.FS) (*gazetteer, error) {
	files, err := fs.Glob(fsys, "data/*.csv")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no data files")
	}
	sort.Strings(files)
	gz := &gazetteer{byCode: map[string]*Place{}, children: map[string][]*Place{}, keys: map[string][]hit{}, script: map[string][]hit{}}
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := gz.parse(name, b); err != nil {
			return nil, err
		}
	}
	for _, p := range gz.all {
		if p.Parent == "" {
			continue
		}
		par, ok := gz.byCode[p.Parent]
		if !ok {
			return nil, fmt.Errorf("%s: parent %s does not exist", p.Code, p.Parent)
		}
		if par.Level != p.Level-1 {
			return nil, fmt.Errorf("%s: parent %s is a %s", p.Code, p.Parent, par.Level)
		}
	}
	slices.SortFunc(gz.all, func(a, b *Place) int { return strings.Compare(a.Code, b.Code) })
	for _, p := range gz.all {
		gz.children[p.Parent] = append(gz.children[p.Parent], p)
	}
	for _, kids := range gz.children {
		slices.SortFunc(kids, func(a, b *Place) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.Code, b.Code)
		})
	}
	gz.index()
	return gz, nil
}

func (gz *gazetteer) parse(file string, b []byte) error {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1 // checked below, so the message can name the header
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if first {
			first = false
			if !slices.Equal(rec, header) {
				return fmt.Errorf("%s:%d: header is %q, want %q", file, line, rec, header)
			}
			continue
		}
		if len(rec) != len(header) {
			return fmt.Errorf("%s:%d: %d fields, want %d (%s)", file, line, len(rec), len(header), strings.Join(header, ","))
		}
		p, err := parseRow(rec)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", file, line, err)
		}
		if _, dup := gz.byCode[p.Code]; dup {
			return fmt.Errorf("%s:%d: duplicate code %s", file, line, p.Code)
		}
		gz.byCode[p.Code] = p
		gz.all = append(gz.all, p)
	}
}

func parseRow(rec []string) (*Place, error) {
	code, kind, name := rec[0], rec[1], rec[2]
	if !codeRE.MatchString(code) {
		return nil, fmt.Errorf("code %q is not of the form CC, CC-SUB or CC-SUB-SLUG", code)
	}
	level, ok := kinds[kind]
	if !ok {
		return nil, fmt.Errorf("%s: unknown kind %q", code, kind)
	}
	parts := strings.Split(code, "-")
	if int(level) != len(parts) {
		return nil, fmt.Errorf("%s: a %s needs a code of %d parts", code, kind, level)
	}
	if !isClean(name) {
		return nil, fmt.Errorf("%s: name %q is empty or not clean (NFC, single spaces)", code, name)
	}
	p := &Place{
		Code:    code,
		Name:    name,
		Country: parts[0],
		Parent:  strings.Join(parts[:len(parts)-1], "-"),
		Level:   level,
		Kind:    kind,
		ISO:     rec[5],
	}
	if level < District && p.ISO == "" {
		// Equal to the code when published; ISO may change it later, the code stays.
		return nil, fmt.Errorf("%s: iso column is required for countries and subdivisions", code)
	}
	local, err := splitNames(code, rec[3])
	if err != nil {
		return nil, err
	}
	alt, err := splitNames(code, rec[4])
	if err != nil {
		return nil, err
	}
	p.Local = local
	p.Alt = append(alt, local...)
	return p, nil
}

func splitNames(code, field string) ([]string, error) {
	if field == "" {
		return nil, nil
	}
	var out []string
	for n := range strings.SplitSeq(field, "|") {
		if !isClean(n) {
			return nil, fmt.Errorf("%s: alternate name %q is empty or not clean (NFC, single spaces)", code, n)
		}
		out = append(out, n)
	}
	return out, nil
}

// isClean reports whether a name from the data is non-empty NFC text with
// single spaces and no space at either end.
func isClean(s string) bool {
	return s != "" && s == textnorm.NFC(s) && s == strings.Join(strings.Fields(s), " ")
}

func normCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// Get returns the place with the given code (case-insensitive).
func Get(code string) (*Place, bool) {
	p, ok := data().byCode[normCode(code)]
	return p, ok
}

// Children returns the places directly under code, sorted by name; for ""
// it returns the countries. Unknown codes have no children.
func Children(code string) []*Place {
	c := code
	if c != "" {
		c = normCode(c)
	}
	return slices.Clone(data().children[c])
}

// All returns every place, sorted by code.
func All() []*Place { return slices.Clone(data().all) }

// Path returns the chain from the country down to the place itself
// (["IN", "IN-BR", "IN-BR-SITAMARHI"]), or nil if code is unknown.
func Path(code string) []*Place {
	gz := data()
	p, ok := gz.byCode[normCode(code)]
	if !ok {
		return nil
	}
	out := make([]*Place, p.Level)
	for i := int(p.Level) - 1; i >= 0; i-- {
		out[i] = p
		p = gz.byCode[p.Parent]
	}
	return out
}

// Within reports whether the place with code lies in (or is) the place with
// code ancestor. An empty ancestor contains everything.
func Within(code, ancestor string) bool {
	if ancestor == "" {
		return true
	}
	code, ancestor = normCode(code), normCode(ancestor)
	return code == ancestor || strings.HasPrefix(code, ancestor+"-")
}
