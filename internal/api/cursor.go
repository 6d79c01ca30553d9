package api

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// Cursors are opaque to clients: base64url of "<list>:<position>". The list
// name stops a cursor of one list being replayed on another; the position is
// what the service pages by (the last id of the previous page, or the audit
// sequence number to continue below). A cursor grants nothing: the services
// authorise every page as they do the first.

var errBadCursor = errors.New("not a cursor of this list; pass the next value of a previous page")

func encodeCursor(list, pos string) string {
	if pos == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(list + ":" + pos))
}

// decodeCursor returns the position in a cursor of list; "" for no cursor.
func decodeCursor(list, cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(cursor)
	if err != nil {
		return "", errBadCursor
	}
	name, pos, ok := strings.Cut(string(raw), ":")
	if !ok || name != list || pos == "" || !utf8.ValidString(pos) {
		return "", errBadCursor
	}
	for _, r := range pos {
		// Ids are UUIDs; sequence numbers are digits. Anything else was not
		// made by encodeCursor.
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			return "", errBadCursor
		}
	}
	return pos, nil
}

// decodeSeqCursor returns the audit sequence number in a cursor; 0 for none.
func decodeSeqCursor(list, cursor string) (int64, error) {
	pos, err := decodeCursor(list, cursor)
	if err != nil || pos == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(pos, 10, 64)
	if err != nil || n <= 0 {
		return 0, errBadCursor
	}
	return n, nil
}

// cursorProblem is the 400 for a cursor that decodeCursor refused.
func cursorProblem(err error) huma.StatusError {
	return huma.Error400BadRequest("bad cursor", &huma.ErrorDetail{Location: "query.cursor", Message: err.Error()})
}

// nextLink is the RFC 8288 Link header for the next page: the request's own
// URL with the cursor replaced, so filters carry over.
func nextLink(u url.URL, next string) string {
	if next == "" {
		return ""
	}
	q := u.Query()
	q.Set("cursor", next)
	u.RawQuery = q.Encode()
	return "<" + u.Path + "?" + u.RawQuery + `>; rel="next"`
}
