// Package phone normalises telephone numbers of India, Nepal, Bangladesh, Sri
// Lanka and the Gulf states to E.164, using libphonenumber's metadata through
// its maintained Go port rather than hand-written rules, which go stale as
// numbering plans change.
package phone

import (
	"strings"
	"sync"

	"atip/internal/textnorm"

	"github.com/nyaruka/phonenumbers"
)

// Regions are the countries whose numbers ATIP expects, in the order a
// number without a country code is tried when no default region is known.
var Regions = []string{"IN", "NP", "BD", "LK", "AE", "SA", "QA", "KW", "OM", "BH"}

// Number is a parsed, valid telephone number.
type Number struct {
	E164   string // +9779841234567
	Region string // ISO 3166 alpha-2 of the country the number belongs to
	Mobile bool   // a mobile number (as opposed to fixed line, toll-free, …)
}

// Parse reads one telephone number as people write it: with or without the
// country code, with spaces, dashes, dots or brackets, with a trunk 0, and
// in native digits. region is the ISO 3166 alpha-2 code to assume when the
// number has no country code ("" tries Regions in order and takes the first
// under which the number is valid). ok is false when the text is not a
// valid number of any region tried.
func Parse(raw, region string) (n Number, ok bool) {
	num, ok := parse(raw, region, nil)
	if !ok {
		return Number{}, false
	}
	t := phonenumbers.GetNumberType(num)
	return Number{
		E164:   phonenumbers.Format(num, phonenumbers.E164),
		Region: phonenumbers.GetRegionCodeForNumber(num),
		Mobile: t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE,
	}, true
}

// Normalize is Parse for bulk work that needs only the E.164 form (record
// linkage over a million rows): it accepts and rejects exactly what Parse
// does, but skips the number-type and region look-ups, which walk every
// number pattern of the region's metadata and are most of Parse's cost.
func Normalize(raw, region string) (e164 string, ok bool) {
	return normalize(raw, region, nil)
}

func normalize(raw, region string, c *Cache) (string, bool) {
	num, ok := parse(raw, region, c)
	if !ok {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

func parse(raw, region string, c *Cache) (*phonenumbers.PhoneNumber, bool) {
	s := strings.TrimSpace(textnorm.ASCIIDigits(raw))
	if s == "" || len(s) > 40 {
		return nil, false
	}
	// "00" is the international prefix in all these countries.
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	if strings.HasPrefix(s, "+") {
		return parseIn(s, "ZZ", c)
	}
	if region != "" {
		return parseIn(s, strings.ToUpper(region), c)
	}
	for _, r := range Regions {
		if n, ok := parseIn(s, r, c); ok {
			return n, true
		}
	}
	return nil, false
}

func parseIn(s, region string, c *Cache) (*phonenumbers.PhoneNumber, bool) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !c.valid(num) {
		return nil, false
	}
	return num, true
}

// Cache remembers which numbers are valid, for Normalize over many
// records: one number is written many ways ("+91 98301 23456",
// "098301-23456", "9830123456"), each has to be parsed, but validating it —
// matching it against every number pattern of its region, the dearer half
// of the work — is done once. The zero value is ready to use; it is safe
// for concurrent use and grows with the distinct numbers seen, so use one
// per batch.
type Cache struct {
	mu sync.Mutex
	m  map[numberID]bool
}

// numberID is what validity depends on.
type numberID struct {
	cc       int32
	national uint64
	zeros    int32
	italian  bool
}

func (c *Cache) valid(num *phonenumbers.PhoneNumber) bool {
	if c == nil {
		return phonenumbers.IsValidNumber(num)
	}
	id := numberID{num.GetCountryCode(), num.GetNationalNumber(), num.GetNumberOfLeadingZeros(), num.GetItalianLeadingZero()}
	c.mu.Lock()
	v, ok := c.m[id]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = phonenumbers.IsValidNumber(num)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[numberID]bool{}
	}
	c.m[id] = v
	c.mu.Unlock()
	return v
}

// Normalize is the package's Normalize, validating through the cache.
func (c *Cache) Normalize(raw, region string) (e164 string, ok bool) {
	return normalize(raw, region, c)
}
