package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"atip"
	"atip/internal/httpstatus"

	"github.com/danielgtaylor/huma/v2"
)

// fail turns a service error into a problem. Field errors of atip.Invalid
// are listed in `errors` with locations such as "body.name", in is the part
// of the request they came from ("body", "query"). Internal errors are
// logged and shown only as "internal error".
func (s *server) fail(ctx context.Context, err error, in string) huma.StatusError {
	code := atip.ErrorCode(err)
	status := httpstatus.OfCode(code)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(ctx, "api: internal error", "err", err)
		return huma.NewError(status, "internal error")
	}
	var details []error
	var e *atip.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			loc := in
			if f.Field != "" {
				loc = in + "." + f.Field
			}
			details = append(details, &huma.ErrorDetail{Location: loc, Message: f.Message})
		}
	}
	return huma.NewError(status, atip.ErrorMessage(err), details...)
}

// scrubErrors is a huma transformer applied to every response. huma echoes
// the offending value of a field error (and the whole body when it is not
// JSON) back to the client; a body may hold a password or a victim's name, so
// values are dropped. Errors with a 5xx status keep only a generic message.
func (s *server) scrubErrors(_ huma.Context, _ string, v any) (any, error) {
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	if em.Status >= 500 {
		return &huma.ErrorModel{Status: em.Status, Title: http.StatusText(em.Status), Detail: "internal error"}, nil
	}
	for _, d := range em.Errors {
		if d != nil {
			d.Value = nil
		}
	}
	return em, nil
}

// jsonFormat is huma's JSON format with error messages that say where a
// malformed body went wrong (line and column), so a client can find it.
var jsonFormat = huma.Format{
	Marshal: huma.DefaultJSONFormat.Marshal,
	Unmarshal: func(data []byte, v any) error {
		return describeJSONError(data, json.Unmarshal(data, v))
	},
}

// describeJSONError rewrites encoding/json's errors (which give a byte
// offset at best) to name the line and column.
func describeJSONError(data []byte, err error) error {
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset)
		return fmt.Errorf("malformed JSON at line %d, column %d: %s", line, col, se.Error())
	case errors.As(err, &te):
		line, col := lineCol(data, te.Offset)
		where := ""
		if te.Field != "" {
			where = " (field " + te.Field + ")"
		}
		return fmt.Errorf("wrong JSON type at line %d, column %d%s: expected %s, got %s", line, col, where, te.Type, te.Value)
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// lineCol converts a byte offset (as encoding/json reports it: the number of
// bytes read when the error was found) to a 1-based line and column, counting
// columns in bytes.
func lineCol(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset < 0 {
		offset = 0
	}
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}

// writeProblem writes a problem document outside huma's operations (unknown
// routes, panics).
func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(&huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail})
}

// probeMethods are the methods the API's operations use; notFound tries
// them to tell "no such route" (404) from "wrong method" (405).
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// notFound answers every request no operation matched: 405 with Allow when
// the path exists under another method, otherwise 404.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed here")
		return
	}
	writeProblem(w, http.StatusNotFound, "no such API route")
}

// headers sets what every API response needs: responses hold personal data
// that no cache may keep, and must never be sniffed into something else.
func (s *server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 problem, so that one bad request
// neither kills the connection silently nor leaks a stack trace.
func (s *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "api: panic", "method", r.Method, "pattern", r.Pattern, "panic", fmt.Sprint(v))
				if !rw.wrote {
					writeProblem(w, http.StatusInternalServerError, "internal error")
				}
			}
		}()
		next.ServeHTTP(rw, r)
	})
}

// statusWriter remembers whether the header was written, so the recoverer
// knows whether it may still send a problem.
type statusWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) { w.wrote = true; w.ResponseWriter.WriteHeader(code) }
func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var _ io.Writer = (*statusWriter)(nil)
