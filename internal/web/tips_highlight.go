package web

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"atip"
)

// The tip page shows the text with two kinds of highlight: the matched
// indicators (a <mark>) and the selectors found in it (a link to the
// selector's network). Both come as byte spans from the scorer, stored with
// the tip. They may overlap (an indicator phrase that holds a phone number,
// a phone inside a WhatsApp link), so the text is cut at every boundary of
// either kind and each piece says which indicator mark and which selector
// cover it. Templates print every piece escaped; no HTML is built here.

// segment is a piece of a tip's text: plain, inside a matched indicator,
// inside a selector, or both.
type segment struct {
	Text  string
	Mark  bool
	Label string // the indicators' labels, for the mark's title
	ID    string
	Sel   *selLink // the selector covering the piece, if any
}

// selLink is a selector as the page links it.
type selLink struct {
	Type       string
	Normalized string
	Href       string // the selector's network view
}

// selView is a selector in the tip page's list, linked to its network.
type selView struct {
	atip.TipSelector
	Href string
}

// selectorHref is the address of a selector's network view.
func selectorHref(typ, norm string) string {
	return "/tips/selector?" + url.Values{"type": {typ}, "value": {norm}}.Encode()
}

type hlSpan struct {
	a, b   int
	labels []string
	id     string
	sel    *selLink
}

// validSpan reports whether [a, b) is a non-empty span of text on
// character boundaries: stored data from an older scorer must not break
// the page.
func validSpan(text string, a, b int) bool {
	return a >= 0 && b <= len(text) && a < b && utf8.RuneStart(text[a]) && (b == len(text) || utf8.RuneStart(text[b]))
}

// highlight splits text at the indicators' and the selectors' byte spans.
// Overlapping indicator spans are joined into one mark that names every
// indicator; of overlapping selectors the longer (then the earlier) wins,
// so a phone inside a WhatsApp link links as the link.
func highlight(text string, inds []atip.TipIndicator, sels []atip.TipSelector) []segment {
	var spans []hlSpan
	for _, in := range inds {
		if validSpan(text, in.Start, in.End) {
			spans = append(spans, hlSpan{a: in.Start, b: in.End, labels: []string{in.Label}, id: in.ID})
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		return spans[i].a < spans[j].a || (spans[i].a == spans[j].a && spans[i].b > spans[j].b)
	})
	var marks []hlSpan
	for _, sp := range spans {
		if n := len(marks); n > 0 && sp.a < marks[n-1].b {
			last := &marks[n-1]
			last.b = max(last.b, sp.b)
			dup := false
			for _, l := range last.labels {
				dup = dup || l == sp.labels[0]
			}
			if !dup {
				last.labels = append(last.labels, sp.labels[0])
			}
			continue
		}
		marks = append(marks, sp)
	}

	var cand []hlSpan
	for _, s := range sels {
		if validSpan(text, s.Start, s.End) && s.Type != "" && s.Normalized != "" {
			cand = append(cand, hlSpan{a: s.Start, b: s.End, sel: &selLink{Type: s.Type, Normalized: s.Normalized, Href: selectorHref(s.Type, s.Normalized)}})
		}
	}
	sort.SliceStable(cand, func(i, j int) bool {
		li, lj := cand[i].b-cand[i].a, cand[j].b-cand[j].a
		return li > lj || (li == lj && cand[i].a < cand[j].a)
	})
	var links []hlSpan
	for _, c := range cand {
		free := true
		for _, l := range links {
			free = free && (c.b <= l.a || c.a >= l.b)
		}
		if free {
			links = append(links, c)
		}
	}
	sort.Slice(links, func(i, j int) bool { return links[i].a < links[j].a })

	cuts := []int{0, len(text)}
	for _, sp := range append(append([]hlSpan(nil), marks...), links...) {
		cuts = append(cuts, sp.a, sp.b)
	}
	sort.Ints(cuts)
	var out []segment
	mi, li := 0, 0
	for k := 0; k+1 < len(cuts); k++ {
		a, b := cuts[k], cuts[k+1]
		if a == b {
			continue
		}
		seg := segment{Text: text[a:b]}
		for mi < len(marks) && marks[mi].b <= a {
			mi++
		}
		if mi < len(marks) && marks[mi].a <= a {
			seg.Mark, seg.Label, seg.ID = true, strings.Join(marks[mi].labels, "; "), marks[mi].id
		}
		for li < len(links) && links[li].b <= a {
			li++
		}
		if li < len(links) && links[li].a <= a {
			seg.Sel = links[li].sel
		}
		// Join a piece to the one before when nothing changes between them.
		if n := len(out); n > 0 && out[n-1].Mark == seg.Mark && out[n-1].Label == seg.Label && out[n-1].Sel == seg.Sel {
			out[n-1].Text += seg.Text
			continue
		}
		out = append(out, seg)
	}
	return out
}

// legendOf lists the selector types of a tip, in a fixed order, for the
// legend under its text.
func legendOf(t *atip.Tip) []string {
	has := map[string]bool{}
	for _, s := range t.Selectors {
		has[s.Type] = true
	}
	var out []string
	for _, typ := range selectorTypes {
		if has[typ] {
			out = append(out, typ)
		}
	}
	return out
}

// selectorTypes are the selector types as stored (a WhatsApp number is
// stored as the phone it is).
var selectorTypes = []string{"phone", "whatsapp", "telegram", "email", "url", "handle", "upi", "iban", "passport"}
