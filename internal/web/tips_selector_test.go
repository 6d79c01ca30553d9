package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
)

func TestHighlightWithSelectors(t *testing.T) {
	ind := func(a, b int, label string) atip.TipIndicator {
		return atip.TipIndicator{ID: label, Label: label, Start: a, End: b}
	}
	sel := func(a, b int, typ, norm string) atip.TipSelector {
		return atip.TipSelector{Type: typ, Normalized: norm, Start: a, End: b}
	}
	for _, tc := range []struct {
		name string
		text string
		inds []atip.TipIndicator
		sels []atip.TipSelector
		want string // marks [label:text], selectors {type:text}, nested as rendered
	}{
		{"selector only", "call 98301 23456 now", nil, []atip.TipSelector{sel(5, 16, "phone", "+919830123456")}, "call {phone:98301 23456} now"},
		{"disjoint", "free visa call 9830", []atip.TipIndicator{ind(0, 9, "visa")}, []atip.TipSelector{sel(15, 19, "phone", "+1")}, "[visa:free visa] call {phone:9830}"},
		// An indicator phrase that holds the number: the text is cut where
		// either starts or ends, and the middle piece is both.
		{"overlap", "call 9830 now", []atip.TipIndicator{ind(0, 9, "call")}, []atip.TipSelector{sel(5, 13, "phone", "+1")},
			"[call:call ]{phone:[call:9830]}{phone: now}"},
		// A phone inside a WhatsApp link: the longer selector wins.
		{"nested selectors", "wa.me/919830123456", nil, []atip.TipSelector{sel(6, 18, "phone", "+919830123456"), sel(0, 18, "whatsapp", "x")}, "{whatsapp:wa.me/919830123456}"},
		{"bad spans ignored", "नौकरी", nil, []atip.TipSelector{sel(1, 3, "phone", "+1"), sel(0, 99, "phone", "+1"), sel(0, 3, "", "+1")}, "नौकरी"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range highlight(tc.text, tc.inds, tc.sels) {
				piece := s.Text
				if s.Mark {
					piece = "[" + s.Label + ":" + piece + "]"
				}
				if s.Sel != nil {
					piece = "{" + s.Sel.Type + ":" + piece + "}"
				}
				b.WriteString(piece)
			}
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}

// The tip page links each selector in the text to the selector's network,
// escapes the text, shows a legend; the selector's page lists the tips
// that carry it and is not found for a selector on no tip of the
// organisation.
func TestTipPageSelectorHighlights(t *testing.T) {
	e := newEnv(t, database.SQLite)
	ts := newTipService(t, e.db, e.orgA.ID)
	op := atip.OperatorContext(t.Context())
	mk := func(text string) *atip.Tip {
		tip := &atip.Tip{OrgID: e.orgA.ID, Text: text}
		if err := ts.CreateTip(op, tip); err != nil {
			t.Fatal(err)
		}
		return tip
	}
	one := mk(`<b>x</b> Girls only, free visa. Call 98301 23456 or mail agent.jobs@example.com`)
	two := mk(`Hotel job in Dubai, contact +91 98301-23456`)
	analyst := &atip.User{OrgID: e.orgA.ID, Login: "analyst", Name: "Test analyst", Roles: []atip.Role{atip.RoleAnalyst}, Lang: "en"}
	if err := e.users.CreateUser(op, analyst, testPassword); err != nil {
		t.Fatal(err)
	}
	b := e.signedIn("analyst")
	r := b.get("/tips/" + one.ID)
	if r.status != http.StatusOK {
		t.Fatalf("tip page: %d", r.status)
	}
	phoneHref := "/tips/selector?" + url.Values{"type": {"phone"}, "value": {"+919830123456"}}.Encode()
	for _, want := range []string{
		`<a class="sel sel-phone" href="` + strings.ReplaceAll(phoneHref, "&", "&amp;") + `" data-selector="phone:&#43;919830123456"`,
		`data-selector="email:agent.jobs@example.com"`,
		`>98301 23456</a>`,
		`id="tip-legend"`, `<span class="sel sel-email">E-mail</span>`,
		`&lt;b&gt;x&lt;/b&gt;`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("tip page lacks %s\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, "<b>x</b>") {
		t.Error("tip text not escaped")
	}
	net := b.get(phoneHref)
	if net.status != http.StatusOK || !strings.Contains(net.body, `id="selector-network"`) ||
		!strings.Contains(net.body, one.Ref) || !strings.Contains(net.body, two.Ref) || strings.Count(net.body, "</a> ★") != 2 {
		t.Fatalf("selector network: status %d\n%s", net.status, net.body)
	}
	if r := b.get("/tips/selector?type=phone&value=%2B919999999999"); r.status != http.StatusNotFound {
		t.Errorf("selector on no tip: status %d, want 404", r.status)
	}
	if r := b.get("/tips/selector?type=phone"); r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
		t.Errorf("selector without value: status %d, want 4xx", r.status)
	}
	// Another organisation's analyst finds nothing.
	if r := e.signedIn("bworker").get(phoneHref); r.status != http.StatusNotFound {
		t.Errorf("other organisation: status %d, want 404", r.status)
	}
}
