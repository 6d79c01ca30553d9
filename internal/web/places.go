package web

import (
	"strings"

	"atip/internal/gazetteer"
)

// Gazetteer is the PlaceFinder over ATIP's built-in gazetteer.
type Gazetteer struct{}

// FindPlaces returns places whose name or alternate spelling starts with
// prefix, best first; a code typed in full finds its place too.
func (Gazetteer) FindPlaces(prefix string, limit int) []Place {
	var out []Place
	if p, ok := gazetteer.Get(prefix); ok {
		out = append(out, Place{Code: p.Code, Name: fullName(p.Code)})
	}
	for _, p := range gazetteer.Search(prefix, "", limit) {
		if len(out) >= limit {
			break
		}
		if len(out) > 0 && out[0].Code == p.Code {
			continue
		}
		out = append(out, Place{Code: p.Code, Name: fullName(p.Code)})
	}
	return out
}

// PlaceName returns "Parsa, Madhesh, Nepal" for NP-P2-PARSA, "" when the
// code is unknown.
func (Gazetteer) PlaceName(code string) string { return fullName(code) }

func fullName(code string) string {
	path := gazetteer.Path(code)
	names := make([]string, 0, len(path))
	for i := len(path) - 1; i >= 0; i-- {
		names = append(names, path[i].Name)
	}
	return strings.Join(names, ", ")
}
