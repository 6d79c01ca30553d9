// Package httpstatus maps domain errors to HTTP statuses. It is the one
// place where that mapping lives, for both doors: the web pages
// (internal/web) and the JSON API (internal/api) call it, so a browser and
// an API client are told the same thing about the same failure.
package httpstatus

import (
	"errors"
	"net/http"

	"atip"
)

// Of returns the HTTP status for err: the status of its domain code, 413
// for a request body over the limit, and 500 for anything else, whose
// detail must then stay in the server's log.
func Of(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	return OfCode(atip.ErrorCode(err))
}

// OfCode returns the HTTP status for a domain error code.
func OfCode(code string) int {
	switch code {
	case atip.EINVALID:
		// 422, the status huma gives bodies that fail the schema, so a
		// client handles every field error alike.
		return http.StatusUnprocessableEntity
	case atip.ENOTFOUND:
		return http.StatusNotFound
	case atip.ECONFLICT:
		return http.StatusConflict
	case atip.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case atip.EFORBIDDEN:
		return http.StatusForbidden
	case atip.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
