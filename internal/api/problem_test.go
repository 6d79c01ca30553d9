package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"atip"
	"atip/internal/httpstatus"
)

func TestDescribeJSONErrorNamesLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       string
	}{
		{"stray brace on line 3", "{\n  \"name\": \"x\",\n  }", "line 3, column 3"},
		{"bad token on line 1", `{"name": tru}`, "line 1, column 13"},
		{"truncated", "{\n\"name\": \"x\"", "line 2, column 11"},
		{"trailing garbage", `{"name":"x"} x`, "line 1, column 14"},
		{"not JSON at all", "<x/>", "line 1, column 1"},
		{"form encoding", "name=x", "line 1, column 2"},
	} {
		var v any
		err := describeJSONError([]byte(tc.body), json.Unmarshal([]byte(tc.body), &v))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to name %q", tc.name, err, tc.want)
		}
	}
	var typed struct{ Name string }
	body := "{\n \"Name\": 5}"
	err := describeJSONError([]byte(body), json.Unmarshal([]byte(body), &typed))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "Name") {
		t.Errorf("type error %v, want line 2 and the field name", err)
	}
}

func TestLineColClamps(t *testing.T) {
	for _, tc := range []struct {
		data      string
		off       int64
		line, col int
	}{
		{"", 0, 1, 1},
		{"ab", 99, 1, 2},
		{"a\nb", -3, 1, 1},
		{"a\nbc", 4, 2, 2},
	} {
		if l, c := lineCol([]byte(tc.data), tc.off); l != tc.line || c != tc.col {
			t.Errorf("lineCol(%q, %d) = %d:%d, want %d:%d", tc.data, tc.off, l, c, tc.line, tc.col)
		}
	}
}

// TestStatusOfEveryCode pins the one mapping of domain codes to statuses.
func TestStatusOfEveryCode(t *testing.T) {
	for code, want := range map[string]int{
		atip.EINVALID:      http.StatusUnprocessableEntity,
		atip.ENOTFOUND:     http.StatusNotFound,
		atip.ECONFLICT:     http.StatusConflict,
		atip.EUNAUTHORIZED: http.StatusUnauthorized,
		atip.EFORBIDDEN:    http.StatusForbidden,
		atip.ETOOMANY:      http.StatusTooManyRequests,
		atip.EINTERNAL:     http.StatusInternalServerError,
		"something new":    http.StatusInternalServerError,
	} {
		if got := httpstatus.OfCode(code); got != want {
			t.Errorf("httpstatus.OfCode(%q) = %d, want %d", code, got, want)
		}
	}
}

// FuzzJSONFormat checks that the body decoder never panics and that every
// error it gives for a malformed body says where.
func FuzzJSONFormat(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `{`, "{\n\"a\":[1,2,}", `"\ud800"`, `[`, ``, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v any
		err := jsonFormat.Unmarshal(body, &v)
		if err != nil && !strings.Contains(err.Error(), "line ") && !strings.Contains(err.Error(), "malformed JSON") {
			t.Fatalf("error %q does not say where", err)
		}
	})
}

func TestHasScope(t *testing.T) {
	for _, tc := range []struct {
		scopes []string
		need   string
		want   bool
	}{
		{[]string{ScopeRead}, ScopeRead, true},
		{[]string{ScopeRead}, ScopeWrite, false},
		{[]string{ScopeWrite}, ScopeRead, true}, // write implies read, as the token service says
		{[]string{ScopeWrite}, ScopeWrite, true},
		{nil, ScopeRead, false},
		{[]string{"admin"}, ScopeWrite, false},
	} {
		if got := hasScope(tc.scopes, tc.need); got != tc.want {
			t.Errorf("hasScope(%q, %q) = %v, want %v", tc.scopes, tc.need, got, tc.want)
		}
	}
}
