package phone

import "testing"

func TestParse(t *testing.T) {
	var cache Cache
	for _, tc := range []struct {
		raw, region, want, wantRegion string
	}{
		{"98301 23456", "IN", "+919830123456", "IN"},
		{"+91-98301-23456", "", "+919830123456", "IN"},
		{"09830123456", "IN", "+919830123456", "IN"},
		{"0091 9830123456", "", "+919830123456", "IN"},
		{"९८३०१२३४५६", "IN", "+919830123456", "IN"},  // Devanagari digits
		{"9841234567", "NP", "+9779841234567", "NP"}, // Nepal Telecom mobile
		{"+977 984-1234567", "", "+9779841234567", "NP"},
		{"০১৭১২৩৪৫৬৭৮", "BD", "+8801712345678", "BD"}, // Bengali digits, Grameenphone
		{"01712-345678", "BD", "+8801712345678", "BD"},
		{"077 123 4567", "LK", "+94771234567", "LK"},
		{"+971 50 123 4567", "", "+971501234567", "AE"},
	} {
		n, ok := Parse(tc.raw, tc.region)
		if !ok || n.E164 != tc.want || n.Region != tc.wantRegion {
			t.Errorf("Parse(%q, %q) = %+v, %v; want %s in %s", tc.raw, tc.region, n, ok, tc.want, tc.wantRegion)
		}
		if e, ok := Normalize(tc.raw, tc.region); !ok || e != tc.want {
			t.Errorf("Normalize(%q, %q) = %q, %v; want %s", tc.raw, tc.region, e, ok, tc.want)
		}
		// Twice through one cache: the second answer comes from it.
		for range 2 {
			if e, ok := cache.Normalize(tc.raw, tc.region); !ok || e != tc.want {
				t.Errorf("Cache.Normalize(%q, %q) = %q, %v; want %s", tc.raw, tc.region, e, ok, tc.want)
			}
		}
	}
	for _, raw := range []string{"", "1098", "12345", "not a number", "+91 12"} {
		if n, ok := Parse(raw, "IN"); ok {
			t.Errorf("Parse(%q) = %+v, want not a number", raw, n)
		}
		if e, ok := Normalize(raw, "IN"); ok {
			t.Errorf("Normalize(%q) = %q, want not a number", raw, e)
		}
		if e, ok := cache.Normalize(raw, "IN"); ok {
			t.Errorf("Cache.Normalize(%q) = %q, want not a number", raw, e)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("+91 98301 23456", "IN")
	f.Add("००९१", "")
	var cache Cache
	f.Fuzz(func(t *testing.T, raw, region string) {
		n, ok := Parse(raw, region)
		if ok && (len(n.E164) < 8 || n.E164[0] != '+') {
			t.Fatalf("Parse(%q,%q) gave %q", raw, region, n.E164)
		}
		// Normalize must agree with Parse on every input.
		if e, ok2 := Normalize(raw, region); ok2 != ok || e != n.E164 {
			t.Fatalf("Normalize(%q,%q) = %q, %v; Parse gave %q, %v", raw, region, e, ok2, n.E164, ok)
		}
		if e, ok2 := cache.Normalize(raw, region); ok2 != ok || e != n.E164 {
			t.Fatalf("Cache.Normalize(%q,%q) = %q, %v; Parse gave %q, %v", raw, region, e, ok2, n.E164, ok)
		}
	})
}

// BenchmarkNormalize and BenchmarkParse compare the bulk path with the full
// parse on a typical Indian mobile number.
func BenchmarkNormalize(b *testing.B) {
	for b.Loop() {
		Normalize("098301 23456", "IN")
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		Parse("098301 23456", "IN")
	}
}
