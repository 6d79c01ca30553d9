package synth

import (
	"testing"

	"atip/internal/gazetteer"
)

func TestDistrictsGrowWithSizeAndAreReal(t *testing.T) {
	for _, reg := range regions {
		small := districtsFor(reg, 4000)
		if len(small) != len(reg.district) {
			t.Errorf("%s: %d districts for a small set, want the %d listed", reg.name, len(small), len(reg.district))
		}
		big := districtsFor(reg, 200_000)
		if len(big) <= len(small) {
			t.Errorf("%s: %d districts for 200,000 rows, want more than %d", reg.name, len(big), len(small))
		}
		seen := map[string]bool{}
		for _, d := range big {
			p := gazetteer.Resolve(reg.country, d.state, d.w.latin)
			if p == nil || p.Level != gazetteer.District {
				t.Errorf("%s: district %q in %q does not resolve", reg.name, d.w.latin, d.state)
				continue
			}
			if seen[p.Code] {
				t.Errorf("%s: district %s twice", reg.name, p.Code)
			}
			seen[p.Code] = true
		}
	}
}
