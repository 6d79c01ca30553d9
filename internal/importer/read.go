// Package importer reads legacy case registers — the spreadsheets NGOs,
// shelters and police units have kept for years — from CSV or XLSX, maps
// their columns to ATIP's fields (suggesting a mapping from the headers),
// and validates every row. It is all or nothing: Convert returns either every
// row converted or a report of every problem, by line and field, and nothing
// else; the caller writes the rows in one transaction. It does no I/O of its
// own beyond the reader it is given, and never logs cell contents.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"atip/internal/textnorm"
)

// Limits bound what a reader accepts, so an upload cannot exhaust memory.
type Limits struct {
	MaxBytes int64 // the file as uploaded
	MaxRows  int   // data rows, not counting the header
	MaxCols  int
	MaxCell  int // characters in one cell
}

// DefaultLimits suit a district office's register of tens of thousands of
// rows.
var DefaultLimits = Limits{MaxBytes: 32 << 20, MaxRows: 200_000, MaxCols: 200, MaxCell: 10_000}

// Table is a file read as text cells: a header row and data rows, each with
// the line (CSV) or row number (XLSX) a user finds it at.
type Table struct {
	Header []string
	Rows   [][]string
	Lines  []int // Lines[i] is where Rows[i] starts in the file
}

// ReadError is a file that cannot be read as a table at all.
type ReadError struct {
	Line int // 0 when the problem is the whole file
	Msg  string
}

func (e *ReadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func readAll(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &ReadError{Msg: fmt.Sprintf("the file is larger than %d MiB", max>>20)}
	}
	return data, nil
}

// ReadCSV reads a CSV file in UTF-8 (with or without a byte-order mark),
// separated by commas, semicolons or tabs — whichever the header uses most.
func ReadCSV(r io.Reader, lim Limits) (*Table, error) {
	data, err := readAll(r, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidAt(data)], []byte("\n"))
		return nil, &ReadError{Line: line, Msg: "the file is not UTF-8 text; save it as \"CSV UTF-8\""}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniff(data)
	cr.FieldsPerRecord = -1 // rows of the wrong width are reported per row, not as a failed file
	t := &Table{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ReadError{Line: pe.StartLine, Msg: "cannot read the row: " + pe.Err.Error()}
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if err := t.add(rec, line, lim); err != nil {
			return nil, err
		}
	}
	return t.done()
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func sniff(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(first, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func (t *Table) add(rec []string, line int, lim Limits) error {
	if len(rec) > lim.MaxCols {
		return &ReadError{Line: line, Msg: fmt.Sprintf("more than %d columns", lim.MaxCols)}
	}
	blank := true
	for i, c := range rec {
		if utf8.RuneCountInString(c) > lim.MaxCell {
			return &ReadError{Line: line, Msg: fmt.Sprintf("column %d has more than %d characters", i+1, lim.MaxCell)}
		}
		rec[i] = textnorm.Clean(c)
		blank = blank && rec[i] == ""
	}
	if t.Header == nil {
		if blank {
			return nil // blank lines above the header
		}
		t.Header = rec
		return nil
	}
	if blank {
		return nil
	}
	if len(t.Rows) == lim.MaxRows {
		return &ReadError{Msg: fmt.Sprintf("more than %d rows; split the file", lim.MaxRows)}
	}
	t.Rows = append(t.Rows, rec)
	t.Lines = append(t.Lines, line)
	return nil
}

func (t *Table) done() (*Table, error) {
	if t.Header == nil {
		return nil, &ReadError{Msg: "the file is empty"}
	}
	seen := map[string]int{}
	for i, h := range t.Header {
		if h == "" {
			return nil, &ReadError{Line: 1, Msg: fmt.Sprintf("column %d has no header", i+1)}
		}
		k := strings.ToLower(h)
		if j, dup := seen[k]; dup {
			return nil, &ReadError{Line: 1, Msg: fmt.Sprintf("columns %d and %d have the same header %q", j+1, i+1, h)}
		}
		seen[k] = i
	}
	return t, nil
}

// ReadXLSX reads the first sheet of an XLSX workbook (or the sheet named),
// with excelize's unzip limits set from lim so a crafted file cannot expand
// into gigabytes. Cells are read as stored; dates arrive as Excel serial
// numbers, which the date fields accept.
func ReadXLSX(r io.Reader, sheet string, lim Limits) (*Table, error) {
	data, err := readAll(r, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    8 * lim.MaxBytes,
		UnzipXMLSizeLimit: 4 * lim.MaxBytes,
	})
	if err != nil {
		return nil, &ReadError{Msg: "not a readable XLSX workbook: " + err.Error()}
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, &ReadError{Msg: fmt.Sprintf("the workbook has no sheet %q", sheet)}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &ReadError{Msg: "cannot read the sheet: " + err.Error()}
	}
	defer rows.Close()
	t := &Table{}
	for n := 1; rows.Next(); n++ {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &ReadError{Line: n, Msg: "cannot read the row: " + err.Error()}
		}
		if err := t.add(rec, n, lim); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &ReadError{Msg: "cannot read the sheet: " + err.Error()}
	}
	return t.done()
}
