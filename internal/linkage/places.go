package linkage

import (
	"sync"

	"atip/internal/gazetteer"
)

// gazetteerPlaces resolves district and state names through the gazetteer,
// so that "South 24 Parganas", "দক্ষিণ ২৪ পরগনা" and an old district name
// all meet. Records repeat the same few hundred place spellings, so answers
// are cached.
type gazetteerPlaces struct {
	cache sync.Map // [3]string → [2]string
}

// Resolve implements PlaceResolver.
func (g *gazetteerPlaces) Resolve(country, state, district string) (string, string) {
	k := [3]string{country, state, district}
	if v, ok := g.cache.Load(k); ok {
		r := v.([2]string)
		return r[0], r[1]
	}
	var r [2]string
	if p := gazetteer.Resolve(country, state, district); p != nil {
		switch p.Level {
		case gazetteer.District:
			r = [2]string{p.Parent, p.Code}
		case gazetteer.State:
			r[0] = p.Code
		}
	}
	g.cache.Store(k, r)
	return r[0], r[1]
}
