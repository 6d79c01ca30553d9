package database

import (
	"strings"

	"atip"
	"atip/internal/deconflict"
)

// personSelectors are the identifiers of p that deconfliction compares
// across organisations, as keyed tokens only: phones, social media handles
// ("platform:handle") and identity document numbers.
func personSelectors(p *atip.Person) []deconflict.Selector {
	var out []deconflict.Selector
	for _, ph := range p.Phones {
		out = append(out, deconflict.Selector{Kind: deconflict.Phone, Value: ph, Region: p.Nationality})
	}
	for _, h := range p.Handles {
		platform, handle, ok := strings.Cut(h, ":")
		if !ok {
			platform, handle = "", h
		}
		out = append(out, deconflict.Selector{Kind: deconflict.Handle, Scheme: strings.ToLower(strings.TrimSpace(platform)), Value: strings.TrimSpace(handle)})
	}
	for _, d := range p.Documents {
		out = append(out, deconflict.Selector{Kind: deconflict.Document, Scheme: d.Type, Value: d.Number, Region: d.Country})
	}
	return out
}
