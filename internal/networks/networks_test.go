package networks

import (
	"fmt"
	"strings"
	"testing"
)

func TestClusterBySharedSelector(t *testing.T) {
	items := []Item{
		{ID: "a", Keys: []string{"phone:+919830123456"}},
		{ID: "b", Keys: []string{"upi:agent@okaxis", "phone:+919830123456"}},
		{ID: "c", Keys: []string{"upi:agent@okaxis"}},          // joins a through b
		{ID: "d", Keys: []string{"phone:+9779841234567"}},      // alone
		{ID: "e", Keys: []string{"phone:+911098", "url:t.me"}}, // helpline and a bare host: alone
		{ID: "f", Keys: []string{"phone:+911098"}},             // not glued to e
		{ID: "g", Keys: []string{"handle:@dubai_jobs"}},        // with h
		{ID: "h", Keys: []string{"handle:@dubai_jobs", "x:y"}},
	}
	res, err := Cluster(items, Options{NoNearDup: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 0, 0, 1, 2, 3, 4, 4}
	if fmt.Sprint(res.Network) != fmt.Sprint(want) || res.Count != 5 {
		t.Fatalf("networks %v (count %d), want %v", res.Network, res.Count, want)
	}
}

func TestGenericSelectorIgnored(t *testing.T) {
	var items []Item
	for i := 0; i < 30; i++ {
		items = append(items, Item{ID: fmt.Sprint(i), Keys: []string{"email:jobs@portal.example"}})
	}
	res, _ := Cluster(items, Options{MaxShare: 10, NoNearDup: true})
	if res.Count != 30 {
		t.Fatalf("a selector shared by 30 records (cap 10) glued them into %d networks", res.Count)
	}
	if len(res.Ignored) != 1 || res.Ignored[0] != "email:jobs@portal.example" {
		t.Errorf("ignored %v", res.Ignored)
	}
	res, _ = Cluster(items, Options{MaxShare: 100, NoNearDup: true})
	if res.Count != 1 {
		t.Fatalf("under the cap, 30 records sharing a selector are %d networks", res.Count)
	}
}

func TestNearDuplicateTemplates(t *testing.T) {
	tmpl := "Urgent requirement for %s in Dubai hotel. Girls only, age %d, salary %d per month, free visa and ticket, food and stay free. Contact %s on WhatsApp, passport will be kept by the company for safety."
	items := []Item{
		{ID: "1", Text: fmt.Sprintf(tmpl, "waitress", 19, 45000, "Priya")},
		{ID: "2", Text: fmt.Sprintf(tmpl, "receptionist", 22, 50000, "Rekha")},
		{ID: "3", Text: "Software engineers wanted in Pune, three years of Go experience, apply on our website with your CV and two references."},
		{ID: "4", Text: strings.ToUpper(fmt.Sprintf(tmpl, "cleaner", 18, 40000, "Sima"))},
		{ID: "5", Text: "Good morning"},
		{ID: "6", Text: "Good morning"},
	}
	res, err := Cluster(items, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := res.Network
	if n[0] != n[1] || n[0] != n[3] {
		t.Errorf("template posts not grouped: %v", n)
	}
	if n[2] == n[0] {
		t.Errorf("unrelated post grouped with the template: %v", n)
	}
	if n[4] == n[5] {
		t.Errorf("two short greetings glued: %v", n)
	}
}

func TestExclusionsList(t *testing.T) {
	ex, err := DefaultExclusions()
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]bool{
		"phone:+911098":           true,
		"phone:+8801712345678":    false,
		"whatsapp:+911800113090":  true,
		"url:facebook.com":        true,
		"url:facebook.com/agent1": false,
		"url:example.org":         true,
		"email:a@b.example":       false,
	} {
		if got := ex.Excludes(key); got != want {
			t.Errorf("Excludes(%q) = %v, want %v", key, got, want)
		}
	}
	if _, err := ParseExclusions([]byte(`{"numbers":[{"digits":"12a"}]}`)); err == nil {
		t.Error("a number with a letter was accepted")
	}
}

func TestLocalExclusionsAdd(t *testing.T) {
	def, _ := DefaultExclusions()
	local, err := ParseExclusions([]byte(`{"version":"ngo-1","numbers":[{"digits":"9830123456","country":"IN","what":"our shelter"}],"keys":["email:help@shelter.example"]}`))
	if err != nil {
		t.Fatal(err)
	}
	ex := def.With(local)
	for _, k := range []string{"phone:+919830123456", "email:help@shelter.example", "phone:+911098"} {
		if !ex.Excludes(k) {
			t.Errorf("%s not excluded by the combined list", k)
		}
	}
	if def.Excludes("phone:+919830123456") {
		t.Error("With changed the embedded list")
	}
}
