package selectors

import (
	"sync"
	"sync/atomic"

	"atip/internal/phone"
)

// parsePhone is phone.Parse with a bounded, process-wide memo. Validating a
// number through libphonenumber costs microseconds, and the numbers that
// matter repeat: one recruiter's number appears in hundreds of posts.
func parsePhone(raw, region string) (phone.Number, bool) {
	key := region + "|" + raw
	if v, ok := phoneMemo.Load(key); ok {
		r := v.(phoneResult)
		return r.n, r.ok
	}
	n, ok := phone.Parse(raw, region)
	if phoneMemoSize.Load() < maxPhoneMemo {
		if _, loaded := phoneMemo.LoadOrStore(key, phoneResult{n, ok}); !loaded {
			phoneMemoSize.Add(1)
		}
	}
	return n, ok
}

type phoneResult struct {
	n  phone.Number
	ok bool
}

// maxPhoneMemo bounds the memo; past it numbers are parsed every time.
const maxPhoneMemo = 1 << 16

var (
	phoneMemo     sync.Map
	phoneMemoSize atomic.Int64
)
