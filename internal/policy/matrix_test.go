package policy

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"atip"
)

// ruleTable is testdata/records.rules parsed: the record policy written as a
// first-match table, independently of the Go code that implements it.
type ruleTable struct {
	rules []rule
}

type rule struct {
	line    int
	cols    [8]matcher // role, relation, dist, tlp, class, action, scope, consent
	effect  Effect
	matched int
}

// matcher matches one column: a set of values, possibly negated.
type matcher struct {
	any    bool
	negate bool
	values map[string]bool
}

func (m matcher) match(v string) bool {
	if m.any {
		return true
	}
	return m.values[v] != m.negate
}

var columnValues = [8][]string{
	rolesAsStrings(),
	{"none", "foreign", "platform", "group", "referral", "owner"},
	{"owner", "groups", "platform"},
	{"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"},
	{"reference", "operational", "identity", "contact", "location", "documents", "health", "statement"},
	{"view", "edit", "share", "export", "transfer", "erase"},
	{"yes", "no"},
	{"yes", "no"},
}

func rolesAsStrings() []string {
	var out []string
	for _, r := range atip.Roles {
		out = append(out, string(r))
	}
	return out
}

func loadRules(t *testing.T, path string) *ruleTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lets := map[string][]string{}
	tab := &ruleTable{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "let "); ok {
			name, vals, ok := strings.Cut(rest, "=")
			if !ok {
				t.Fatalf("%s:%d: let needs NAME = a,b,c", path, n)
			}
			lets[strings.TrimSpace(name)] = strings.Split(strings.TrimSpace(vals), ",")
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 9 {
			t.Fatalf("%s:%d: want 9 columns, got %d", path, n, len(fields))
		}
		r := rule{line: n}
		for i := range 8 {
			r.cols[i] = parseMatcher(t, path, n, i, fields[i], lets)
		}
		e, ok := map[string]Effect{"hidden": Hidden, "deny": Deny, "glass": Glass, "allow": Allow}[fields[8]]
		if !ok {
			t.Fatalf("%s:%d: unknown effect %q", path, n, fields[8])
		}
		r.effect = e
		tab.rules = append(tab.rules, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tab
}

func parseMatcher(t *testing.T, path string, line, col int, s string, lets map[string][]string) matcher {
	t.Helper()
	if s == "*" {
		return matcher{any: true}
	}
	m := matcher{values: map[string]bool{}}
	if rest, ok := strings.CutPrefix(s, "!"); ok {
		m.negate, s = true, rest
	}
	for _, v := range strings.Split(s, ",") {
		vals := []string{v}
		if name, ok := strings.CutPrefix(v, "$"); ok {
			if vals, ok = lets[name]; !ok {
				t.Fatalf("%s:%d: undefined set $%s", path, line, name)
			}
		}
		for _, v := range vals {
			known := false
			for _, k := range columnValues[col] {
				known = known || k == v
			}
			if !known {
				t.Fatalf("%s:%d: column %d: unknown value %q", path, line, col+1, v)
			}
			m.values[v] = true
		}
	}
	return m
}

// decide returns the effect of the first matching rule.
func (tab *ruleTable) decide(cell [8]string) (Effect, *rule) {
	for i := range tab.rules {
		r := &tab.rules[i]
		ok := true
		for c := range 8 {
			if !r.cols[c].match(cell[c]) {
				ok = false
				break
			}
		}
		if ok {
			r.matched++
			return r.effect, r
		}
	}
	return 0, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TestMatrix checks the Go policy against the rule table in every cell of
// role × relation × distribution × TLP × field class × action × scope ×
// consent, and that every rule of the table decides at least one cell (a rule
// that never fires is a mistake in the table).
func TestMatrix(t *testing.T) {
	tab := loadRules(t, "testdata/records.rules")
	cells, mismatches := 0, 0
	for _, role := range atip.Roles {
		for _, rel := range Relations {
			for _, dist := range atip.Distributions {
				for _, tlp := range atip.TLPs {
					for _, class := range atip.FieldClasses {
						for _, act := range RecordActions {
							for _, scope := range []bool{true, false} {
								for _, consent := range []bool{true, false} {
									cells++
									key := [8]string{string(role), rel.String(), string(dist), string(tlp),
										string(class), string(act), yesNo(scope), yesNo(consent)}
									want, r := tab.decide(key)
									if r == nil {
										t.Fatalf("no rule matches %v", key)
									}
									got := Rule([]atip.Role{role}, Situation{
										Relation: rel, Distribution: dist, TLP: tlp, Class: class,
										Action: act, InScope: scope, Consent: consent,
									})
									if got != want {
										mismatches++
										if mismatches <= 20 {
											t.Errorf("%s: policy says %s, table line %d says %s",
												strings.Join(key[:], " "), got, r.line, want)
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if mismatches > 20 {
		t.Errorf("… %d mismatches in all", mismatches)
	}
	for _, r := range tab.rules {
		if r.matched == 0 {
			t.Errorf("testdata/records.rules:%d never decides a cell: remove it or fix the rules above it", r.line)
		}
	}
	t.Logf("%d cells checked", cells)
}

// TestMatrixInvariants states the promises of issue 3 directly, over every
// cell, without the table: if the table and the code drifted together, these
// would still catch a leak.
func TestMatrixInvariants(t *testing.T) {
	for _, role := range atip.Roles {
		roles := []atip.Role{role}
		for _, rel := range Relations {
			for _, dist := range atip.Distributions {
				for _, tlp := range atip.TLPs {
					for _, class := range atip.FieldClasses {
						for _, act := range RecordActions {
							for _, scope := range []bool{true, false} {
								for _, consent := range []bool{true, false} {
									s := Situation{rel, dist, tlp, class, act, scope, consent}
									e := Rule(roles, s)
									name := fmt.Sprintf("%s %s %s %s %s %s scope=%v consent=%v", role, rel, dist, tlp, class, act, scope, consent)
									ref := Rule(roles, Situation{rel, dist, tlp, atip.ClassReference, RecordView, scope, consent})
									switch {
									case (e == Hidden) != (ref == Hidden):
										t.Errorf("%s: existence must not depend on class or action (got %s, reference view %s)", name, e, ref)
									case rel == RelNone && e != Hidden:
										t.Errorf("%s: an unrelated organisation must not learn the record exists", name)
									case (tlp == atip.TLPRed || tlp == atip.TLPAmberStrict) && rel < RelReferral && e != Hidden:
										t.Errorf("%s: RED and AMBER+STRICT never leave the owner and its referrals", name)
									case class.Protected() && act == RecordView && e == Allow &&
										!(rel == RelOwner || rel == RelReferral && scope && consent):
										t.Errorf("%s: protected data shown outside the owner and a consented referral", name)
									case act != RecordView && e == Glass:
										t.Errorf("%s: break-glass opens views only", name)
									case (act == RecordEdit || act == RecordShare || act == RecordTransfer || act == RecordErase) &&
										rel != RelOwner && e == Allow:
										t.Errorf("%s: only the owner edits, shares, transfers or erases", name)
									case class.Protected() && (act == RecordShare || act == RecordTransfer) && !consent && e == Allow:
										t.Errorf("%s: protected data shared beyond consent", name)
									case act == RecordExport && e == Allow && Rule(roles, Situation{rel, dist, tlp, class, RecordView, scope, consent}) != Allow:
										t.Errorf("%s: export of what the user does not see", name)
									case act == RecordExport && tlp == atip.TLPRed && e == Allow:
										t.Errorf("%s: RED exported", name)
									}
								}
							}
						}
					}
				}
			}
		}
	}
}
