package atip

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. They are mapped to HTTP statuses in one place (the web package)
// and to exit statuses in one place (cmd/atip).
const (
	EINVALID      = "invalid"      // bad input; Fields says which
	ENOTFOUND     = "not_found"    // absent, or not visible to the actor (never "forbidden" for records)
	ECONFLICT     = "conflict"     // duplicate or stale
	EUNAUTHORIZED = "unauthorized" // not signed in, or bad credentials
	EFORBIDDEN    = "forbidden"    // signed in, but the role may not do this action at all
	ETOOMANY      = "too_many"     // throttled or locked out
	EINTERNAL     = "internal"     // a fault of ours; the message is not shown to users
)

// Error is a domain error: a code, a message safe to show to the user, and
// for EINVALID the fields that were wrong. Messages never contain personal data.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one wrong input field and says what is wrong with it.
type FieldError struct {
	Field   string // the field's name as the form or JSON body spells it
	Message string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + ": " + f.Message)
	}
	return b.String()
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid collects field errors; its Err is nil when none were added, so
// validation reads as a list of checks followed by `return v.Err()`.
type Invalid struct{ fields []FieldError }

// Add records that field is wrong.
func (v *Invalid) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns the collected errors as one EINVALID *Error, or nil.
func (v *Invalid) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "some fields are not valid", Fields: v.fields}
}

// ErrorCode returns the code of a domain error, EINTERNAL for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of a domain error, and a generic
// message for any other error (whose text may hold internals).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
