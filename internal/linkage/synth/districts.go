package synth

import (
	"slices"

	"atip/internal/gazetteer"
)

// perDistrict is the most records of one region a district is given
// before the generator spreads the region over more of its real districts.
//
// Without it a large data set piles everyone into the few source districts
// each region lists, and a million records put 25,000 people in one
// district: every common given name then has hundreds of same-district,
// same-age namesakes, far more than any register holds, and quality at
// scale measures that artefact rather than the engine. For scale: India
// records roughly 300,000 to 400,000 missing women and children a year
// across about 780 districts (NCRB, Crime in India, "Missing and traced
// persons" tables), so even a national register kept for several years
// holds a few thousand records per district; 2,000 per district of one file
// is in that range. Small data sets (the 4,000-record quality benchmark)
// fit in the listed districts and are generated exactly as before.
const perDistrict = 2000

type district struct {
	w     w
	state string
}

// districtsFor returns the districts people of reg are drawn from for a
// data set giving the region about rows records: the region's listed
// source districts, then, as many as needed to keep about perDistrict rows
// a district, the other real districts of the region's states from the
// gazetteer (with their local-script names), so that they resolve and
// compare as real records would.
func districtsFor(reg *region, rows int) []district {
	out := make([]district, 0, len(reg.district))
	for _, d := range reg.district {
		// The state each listed district is really in (Rautahat is in
		// Madhesh, not Bagmati).
		st := reg.state
		if p := gazetteer.Resolve(reg.country, "", d.latin); p != nil && p.Level == gazetteer.District {
			if sp, ok := gazetteer.Get(p.Parent); ok {
				st = sp.Name
			}
		}
		out = append(out, district{d, st})
	}
	want := (rows + perDistrict - 1) / perDistrict
	if want <= len(out) {
		return out
	}
	seen := map[string]bool{}
	for _, d := range reg.district {
		if p := gazetteer.Resolve(reg.country, "", d.latin); p != nil {
			seen[p.Code] = true
		}
	}
	for _, st := range reg.states {
		sp, ok := gazetteer.Get(st)
		if !ok {
			continue
		}
		for _, p := range gazetteer.Children(st) {
			if len(out) >= want {
				return out
			}
			if seen[p.Code] || p.Level != gazetteer.District {
				continue
			}
			seen[p.Code] = true
			native := p.Name
			if i := slices.IndexFunc(p.Local, func(s string) bool { return scriptOf(s) == reg.script }); i >= 0 {
				native = p.Local[i]
			}
			out = append(out, district{w{p.Name, native}, sp.Name})
		}
	}
	return out
}

// scriptOf names the script of s's first letter: "deva", "beng" or "".
func scriptOf(s string) string {
	for _, r := range s {
		switch {
		case r >= 0x0900 && r <= 0x097F:
			return "deva"
		case r >= 0x0980 && r <= 0x09FF:
			return "beng"
		}
	}
	return ""
}
