package httpstatus

import (
	"fmt"
	"net/http"
	"testing"

	"atip"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{atip.Errorf(atip.EINVALID, "bad"), http.StatusUnprocessableEntity},
		{atip.Errorf(atip.ENOTFOUND, "no"), http.StatusNotFound},
		{atip.Errorf(atip.ECONFLICT, "dup"), http.StatusConflict},
		{atip.Errorf(atip.EUNAUTHORIZED, "who"), http.StatusUnauthorized},
		{atip.Errorf(atip.EFORBIDDEN, "no"), http.StatusForbidden},
		{atip.Errorf(atip.ETOOMANY, "slow"), http.StatusTooManyRequests},
		{fmt.Errorf("wrapped: %w", atip.Errorf(atip.ENOTFOUND, "no")), http.StatusNotFound},
		{fmt.Errorf("read body: %w", &http.MaxBytesError{Limit: 10}), http.StatusRequestEntityTooLarge},
		{fmt.Errorf("disk on fire"), http.StatusInternalServerError},
	} {
		if got := Of(tc.err); got != tc.want {
			t.Errorf("Of(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
