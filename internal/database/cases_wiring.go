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

// linkOrigin marks the interception, signal or missing-person report a new
// case was opened from with the case, in the transaction that makes the
// case: a case never names an origin that does not name it back. It
// returns the origin (zero when none); an origin the actor may not see or
// change is refused on from_id.
func (tx *Tx) linkOrigin(c *atip.Case) (atip.RecordRef, error) {
	var ref atip.RecordRef
	switch {
	case c.SignalID != "":
		ref = atip.RecordRef{Type: atip.RecordSignal, ID: c.SignalID}
	case c.MissingReportID != "":
		ref = atip.RecordRef{Type: atip.RecordMissing, ID: c.MissingReportID}
	case c.InterceptionID != "":
		ref = atip.RecordRef{Type: atip.RecordInterception, ID: c.InterceptionID}
	default:
		return ref, nil
	}
	if err := tx.linkIntake(ref, c.ID); err != nil {
		if code := atip.ErrorCode(err); code == atip.ENOTFOUND || code == atip.EFORBIDDEN {
			return ref, invalidField("from_id", "is not an intake record you may open a case from")
		}
		return ref, err
	}
	return ref, nil
}
