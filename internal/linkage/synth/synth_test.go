package synth

import (
	"reflect"
	"testing"
)

func TestGenerateIsReproducibleAndConsistent(t *testing.T) {
	a := Generate(Config{Left: 500, Right: 500, Seed: 3})
	b := Generate(Config{Left: 500, Right: 500, Seed: 3})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same config gave two data sets")
	}
	if len(a.Truth) < 100 || len(a.Truth) > 250 {
		t.Errorf("%d true pairs among 500 right records, want about 40%%", len(a.Truth))
	}
	scripts := map[string]int{}
	for l, r := range a.Truth {
		if a.LeftMeta[l].Person != a.RightMeta[r].Person {
			t.Fatalf("true pair %d/%d are different people", l, r)
		}
	}
	for _, m := range append(a.LeftMeta, a.RightMeta...) {
		scripts[m.Script]++
	}
	if scripts["latin"] == 0 || scripts["deva"] == 0 || scripts["beng"] == 0 {
		t.Errorf("scripts %v", scripts)
	}
	ids := map[string]bool{}
	for _, r := range append(a.Left, a.Right...) {
		if ids[r.ID] {
			t.Fatalf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
	}
}
