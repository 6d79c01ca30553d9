package web

import (
	"errors"
	"net/http"

	"atip"
	"atip/internal/httpstatus"
)

// errorKeys name the catalogue text shown for each status: the pages speak
// the user's language even though domain messages are English.
var errorKeys = map[int]string{
	http.StatusUnprocessableEntity:   "error.invalid",
	http.StatusNotFound:              "error.notfound",
	http.StatusConflict:              "error.conflict",
	http.StatusForbidden:             "error.forbidden",
	http.StatusTooManyRequests:       "error.toomany",
	http.StatusRequestEntityTooLarge: "error.toolarge",
	http.StatusInternalServerError:   "error.internal",
}

// fail writes the page for an error. EUNAUTHORIZED sends the visitor to
// sign in. Faults of ours (500) are logged with their detail and shown
// only as a generic page; domain messages never hold personal data, but
// internal errors may, so they never reach the page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := httpstatus.Of(err)
	if code == http.StatusUnauthorized {
		s.clearSessionCookie(w, r)
		s.toLogin(w, r)
		return
	}
	if code == http.StatusInternalServerError {
		s.log.Error("request failed", "pattern", stateOf(r).pattern, "err", err)
	}
	if r.Header.Get("HX-Request") == "true" {
		// htmx swaps nothing on an error status; send the text so that
		// its error event has something to show.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		w.Write([]byte(s.cat.T(stateOf(r).lang, errorKeys[code])))
		return
	}
	s.render(w, r, code, "error", errorPage{Status: code, Key: errorKeys[code]})
}

type errorPage struct {
	Status int
	Key    string
}

// formFieldOf maps the services' field names to the names the forms give
// the same inputs, so that a service's message lands beside its input.
var formFieldOf = map[string]string{"org_id": "org", "expires_at": "days"}

// fieldErrors returns the field errors of an EINVALID error as a map from
// the form field's name to its message, or nil for any other error.
func fieldErrors(err error) map[string]string {
	var e *atip.Error
	if !errors.As(err, &e) || e.Code != atip.EINVALID {
		return nil
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		name := f.Field
		if alias, ok := formFieldOf[name]; ok {
			name = alias
		}
		if m[name] == "" {
			m[name] = f.Message
		}
	}
	if len(m) == 0 {
		m[""] = e.Message
	}
	return m
}

// formError decides what a form handler does with a service error: bad
// input (EINVALID, ECONFLICT, ETOOMANY) and a refusal of this particular
// change (EFORBIDDEN, e.g. granting a role one may not grant) go back into
// the form with the status that fits; anything else is for fail. It returns the status and
// the field messages ("" keys the message for the whole form), or ok false.
func formError(err error) (code int, fields map[string]string, ok bool) {
	switch atip.ErrorCode(err) {
	case atip.EINVALID:
		return http.StatusUnprocessableEntity, fieldErrors(err), true
	case atip.ECONFLICT, atip.ETOOMANY, atip.EFORBIDDEN:
		return httpstatus.Of(err), map[string]string{"": atip.ErrorMessage(err)}, true
	}
	return 0, nil, false
}
