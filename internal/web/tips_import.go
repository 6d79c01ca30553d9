package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
)

// Bulk import of collected posts: CSV with a header row, or JSON Lines, with
// the fields platform, url, author, text, posted_at and images (image
// references, recorded and never fetched). Every line is checked before
// anything is stored; a dry run only reports; a real run stores every line
// in one transaction or none.

// maxImportLines bounds one import; larger collections go in several files.
const maxImportLines = 5000

// importLine is one post as read, with the line it came from.
type importLine struct {
	Line int
	Tip  *atip.Tip
}

// importProblem names a bad line and what is wrong with it.
type importProblem struct {
	Line    int
	Message string
}

func (p importProblem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Message) }

var importColumns = map[string]bool{"platform": true, "url": true, "author": true, "text": true, "posted_at": true, "images": true}

// parseImport reads CSV or JSON Lines (a first non-blank character "{"
// means JSON Lines) and checks every line; it returns the good lines and
// the problems, never stopping at the first.
func parseImport(data []byte) ([]importLine, []importProblem) {
	if !utf8.Valid(data) {
		return nil, []importProblem{{0, "the file is not UTF-8 text"}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	var lines []importLine
	var probs []importProblem
	if len(trimmed) > 0 && trimmed[0] == '{' {
		lines, probs = parseJSONLines(data)
	} else {
		lines, probs = parseCSV(data)
	}
	if len(lines)+len(probs) == 0 {
		probs = append(probs, importProblem{0, "the file holds no posts"})
	}
	var good []importLine
	for _, l := range lines {
		if err := l.Tip.Validate(); err != nil {
			var e *atip.Error
			if errors.As(err, &e) {
				for _, f := range e.Fields {
					probs = append(probs, importProblem{l.Line, f.Field + ": " + f.Message})
				}
				continue
			}
			probs = append(probs, importProblem{l.Line, err.Error()})
			continue
		}
		good = append(good, l)
	}
	return good, probs
}

func parsePostedAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("posted_at: not a date such as 2026-03-01 or 2026-03-01T10:00:00Z")
}

func parseJSONLines(data []byte) ([]importLine, []importProblem) {
	var out []importLine
	var probs []importProblem
	for i, raw := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		if len(out)+len(probs) >= maxImportLines {
			probs = append(probs, importProblem{n, fmt.Sprintf("more than %d posts: split the file", maxImportLines)})
			break
		}
		var in struct {
			ID       json.RawMessage `json:"id"` // the CLI's input format carries one; ignored here
			Platform string          `json:"platform"`
			URL      string          `json:"url"`
			Author   string          `json:"author"`
			Text     string          `json:"text"`
			PostedAt string          `json:"posted_at"`
			Images   []string        `json:"images"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			probs = append(probs, importProblem{n, "not a JSON object with the known fields (" + jsonReason(err) + ")"})
			continue
		}
		if dec.More() {
			probs = append(probs, importProblem{n, "more than one JSON value on the line"})
			continue
		}
		posted, err := parsePostedAt(in.PostedAt)
		if err != nil {
			probs = append(probs, importProblem{n, err.Error()})
			continue
		}
		out = append(out, importLine{n, &atip.Tip{Source: atip.TipImport, Platform: in.Platform, URL: in.URL, Author: in.Author,
			Text: in.Text, PostedAt: posted, Images: in.Images}})
	}
	return out, probs
}

// jsonReason says what is wrong without echoing the line's content.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return "field " + te.Field + " has the wrong type"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "cannot be read"
}

func parseCSV(data []byte) ([]importLine, []importProblem) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, []importProblem{{1, "no header row (platform,url,author,text,posted_at,images)"}}
	}
	col := map[string]int{}
	var probs []importProblem
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if !importColumns[h] {
			probs = append(probs, importProblem{1, fmt.Sprintf("unknown column %q", truncate(h, 40))})
			continue
		}
		col[h] = i
	}
	if _, ok := col["text"]; !ok {
		return nil, append(probs, importProblem{1, "the header has no text column"})
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []importLine
	for {
		line, _ := r.FieldPos(0)
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				probs = append(probs, importProblem{pe.StartLine, "CSV: " + pe.Err.Error()})
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					// The reader cannot find the next record reliably
					// after a broken quote.
					break
				}
				continue
			}
			probs = append(probs, importProblem{line, "CSV cannot be read"})
			break
		}
		line, _ = r.FieldPos(0)
		if len(out)+len(probs) >= maxImportLines {
			probs = append(probs, importProblem{line, fmt.Sprintf("more than %d posts: split the file", maxImportLines)})
			break
		}
		posted, err := parsePostedAt(get(rec, "posted_at"))
		if err != nil {
			probs = append(probs, importProblem{line, err.Error()})
			continue
		}
		images := strings.FieldsFunc(get(rec, "images"), func(r rune) bool { return r == ';' || r == ' ' || r == '\n' })
		out = append(out, importLine{line, &atip.Tip{Source: atip.TipImport, Platform: get(rec, "platform"), URL: get(rec, "url"),
			Author: get(rec, "author"), Text: get(rec, "text"), PostedAt: posted, Images: images}})
	}
	return out, probs
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

type tipImportPage struct {
	Done     bool
	DryRun   bool
	Good     int
	Stored   int
	Problems []string
	Errors   map[string]string
}

func (s *Server) tipImportForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "tips_import", tipImportPage{DryRun: true})
	return nil
}

func (s *Server) tipImport(w http.ResponseWriter, r *http.Request) error {
	// A file comes as multipart; pasted lines may come as a plain form.
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return parseError(err)
	}
	page := tipImportPage{DryRun: r.PostForm.Get("dry_run") == "on"}
	var data []byte
	if f, _, err := r.FormFile("file"); err == nil {
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return parseError(err)
		}
	} else {
		data = []byte(r.PostForm.Get("data"))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		page.Errors = map[string]string{"": "tips.import_empty"}
		s.render(w, r, http.StatusUnprocessableEntity, "tips_import", page)
		return nil
	}
	good, probs := parseImport(data)
	page.Done, page.Good = true, len(good)
	for _, p := range probs {
		page.Problems = append(page.Problems, p.String())
	}
	if len(probs) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "tips_import", page)
		return nil
	}
	if !page.DryRun {
		batch := make([]*atip.Tip, len(good))
		for i, l := range good {
			batch[i] = l.Tip
		}
		if err := s.cfg.Tips.ImportTips(r.Context(), batch); err != nil {
			code, fields, ok := formError(err)
			if !ok {
				return err
			}
			page.Errors = fields
			s.render(w, r, code, "tips_import", page)
			return nil
		}
		page.Stored = len(batch)
	}
	s.render(w, r, http.StatusOK, "tips_import", page)
	return nil
}
