// Package linkage finds the records that describe the same person: a girl
// reported missing in one district and intercepted in another under a
// different spelling, a woman rescued twice in two cities. It is a pure
// engine — no database, no HTTP — used by `atip link`, `atip dedupe` and the
// application.
//
// # How it works
//
//  1. Every record is prepared once (prepare.go): names romanised, folded and
//     keyed by package names, birth year estimated from age and date, places
//     keyed (through the gazetteer when one is given), phones in E.164.
//     Everything a comparison needs becomes integers in a flat array.
//  2. Values shared by many distinct people — a broker's phone on fifty
//     records, a shelter given as the village of everyone it houses — are
//     marked generic: kept out of blocking and of positive evidence, and
//     returned as Leads for investigators.
//  3. Blocking (block.go) proposes candidate pairs under several keys (phone;
//     name with district; name with birth-year band; guardian with place;
//     the whole name; a name prefix with district and sex), so that one
//     missing or misspelt field does not lose a true match. A pair proposed
//     by several keys is compared once.
//  4. Each candidate pair gets a comparison vector (compare.go): name,
//     guardian name, birth year, sex, place and phone, each at a graded level
//     of agreement.
//  5. Fellegi–Sunter scoring (model.go): m and u probabilities of every level
//     are estimated from the candidate pairs themselves by
//     expectation–maximisation, so no labelled data is needed; exact agreement
//     on a name, guardian or village is adjusted by how common the value is,
//     so "Puja Kumari" counts for less than a rare name. Weights never
//     decrease as agreement rises. The score is the match probability.
//  6. Link mode keeps each record in at most one pair (greedy, best score
//     first); dedupe mode joins pairs above the threshold into clusters.
//
// Every returned pair carries an Explanation: the level of each field and
// the weight, in bits, it added to the score.
package linkage

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"atip/internal/textnorm"
)

// Record is one row of input: a person as one organisation recorded them.
// Only ID is required.
type Record struct {
	ID         string
	Name       string
	Sex        byte // 'F', 'M', 'X' or 0 when unknown
	Age        int  // whole years; -1 when unknown
	RecordedOn time.Time
	Guardian   string
	Village    string
	District   string
	State      string
	Country    string // ISO 3166 alpha-2, upper case
	Phone      string
}

// Columns are the CSV header names ReadCSV understands, in the documented
// order.
var Columns = []string{"id", "name", "sex", "age", "recorded_on", "guardian_name", "village", "district", "state", "country", "phone"}

// InputError names where a CSV file is wrong. It never quotes the value,
// which may be personal data.
type InputError struct {
	File  string
	Line  int    // 1-based; 0 when the problem is the file as a whole
	Field string // column name, "" when not about one field
	Msg   string
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", field %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// ReadCSV reads records from UTF-8 CSV with a header naming some of
// Columns in any order (id is required; unknown columns are ignored). file
// is used in error messages only. It stops at the first problem and returns
// an *InputError.
func ReadCSV(r io.Reader, file string) ([]Record, error) {
	br := &bomSkipper{r: r}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &InputError{File: file, Line: 1, Msg: "the file is empty; it needs a header line naming the columns (id is required)"}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !utf8.ValidString(h) {
			return nil, &InputError{File: file, Line: 1, Msg: "the header is not valid UTF-8"}
		}
		if _, dup := col[h]; dup && h != "" {
			return nil, &InputError{File: file, Line: 1, Field: h, Msg: "column named twice in the header"}
		}
		col[h] = i
	}
	if _, ok := col["id"]; !ok {
		return nil, &InputError{File: file, Line: 1, Field: "id", Msg: "the header has no id column (expected columns: " + strings.Join(Columns, ",") + ")"}
	}
	idx := make([]int, len(Columns))
	for i, c := range Columns {
		if j, ok := col[c]; ok {
			idx[i] = j
		} else {
			idx[i] = -1
		}
	}
	seen := map[string]int{}
	var recs []Record
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c int) string {
			if idx[c] < 0 {
				return ""
			}
			return row[idx[c]]
		}
		for c := range Columns {
			if v := get(c); !utf8.ValidString(v) {
				return nil, &InputError{File: file, Line: line, Field: Columns[c], Msg: "not valid UTF-8"}
			}
		}
		rec, ferr := parseRow(get)
		if ferr != nil {
			ferr.File, ferr.Line = file, line
			return nil, ferr
		}
		if first, dup := seen[rec.ID]; dup {
			return nil, &InputError{File: file, Line: line, Field: "id", Msg: fmt.Sprintf("duplicate id (first on line %d)", first)}
		}
		seen[rec.ID] = line
		recs = append(recs, rec)
	}
	return recs, nil
}

// parseRow checks and converts one row; get returns column c's text.
func parseRow(get func(c int) string) (Record, *InputError) {
	r := Record{Age: -1}
	r.ID = strings.TrimSpace(get(0))
	if r.ID == "" {
		return r, &InputError{Field: "id", Msg: "empty; every row needs an id"}
	}
	r.Name = get(1)
	switch s := strings.ToUpper(strings.TrimSpace(get(2))); s {
	case "":
	case "F", "FEMALE":
		r.Sex = 'F'
	case "M", "MALE":
		r.Sex = 'M'
	case "X", "O", "OTHER", "U", "UNKNOWN":
		r.Sex = 'X'
	default:
		return r, &InputError{Field: "sex", Msg: "must be F, M, X or empty"}
	}
	if s := strings.TrimSpace(textnorm.ASCIIDigits(get(3))); s != "" {
		a, err := strconv.Atoi(s)
		if err != nil || a < 0 || a > 130 {
			return r, &InputError{Field: "age", Msg: "must be a whole number of years between 0 and 130"}
		}
		r.Age = a
	}
	if s := strings.TrimSpace(textnorm.ASCIIDigits(get(4))); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return r, &InputError{Field: "recorded_on", Msg: "must be a date written YYYY-MM-DD"}
		}
		r.RecordedOn = t
	}
	r.Guardian = get(5)
	r.Village = get(6)
	r.District = get(7)
	r.State = get(8)
	if s := strings.ToUpper(strings.TrimSpace(get(9))); s != "" {
		if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
			return r, &InputError{Field: "country", Msg: "must be an ISO 3166 two-letter code such as IN, NP, BD or LK"}
		}
		r.Country = s
	}
	r.Phone = get(10)
	return r, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "the number of fields differs from the header"
		}
		return &InputError{File: file, Line: pe.Line, Msg: "not valid CSV: " + msg}
	}
	return fmt.Errorf("%s: %w", file, err)
}

// bomSkipper drops a UTF-8 byte-order mark at the start of the input, which
// spreadsheet programs write and encoding/csv would take as part of the
// first column's name.
type bomSkipper struct {
	r    io.Reader
	done bool
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if b.done {
		return b.r.Read(p)
	}
	b.done = true
	var head [3]byte
	n, err := io.ReadFull(b.r, head[:])
	rest := head[:n]
	if bytes.Equal(rest, []byte{0xEF, 0xBB, 0xBF}) {
		rest = nil
	}
	b.r = io.MultiReader(bytes.NewReader(rest), b.r)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, err
	}
	return b.r.Read(p)
}
