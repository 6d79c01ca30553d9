package web

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"time"

	"atip"
	"atip/internal/importer"
	"atip/internal/policy"
)

// Import of a legacy register (CSV or XLSX) in three steps on one page,
// without any file kept on the server between them: upload (the page
// proposes a mapping of the file's columns to ATIP's fields), dry run (every
// bad row reported by line, column and field; nothing stored), import (all
// rows in one transaction, or none). The file travels back with each step
// as a hidden field, so it is bounded by the request body limit.

func init() {
	routeAreas = append(routeAreas, func(s *Server) []route {
		return []route{
			{pattern: "GET /cases/import", action: policy.RecordImport, handle: s.caseImportForm},
			{pattern: "POST /cases/import", action: policy.RecordImport, handle: s.caseImport},
		}
	})
}

type importColumn struct {
	Field    importer.Field
	Selected string // the column mapped to the field
}

type caseImportPage struct {
	Step     string // "upload", "map", "report", "done"
	Name     string
	Data     string // the file, base64
	Columns  []string
	Fields   []importColumn
	Rows     int
	Problems []importer.Problem
	Stored   int
	Errors   map[string]string
}

func (s *Server) caseImportForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.casesService(); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "cases_import", caseImportPage{Step: "upload"})
	return nil
}

// readTable reads an uploaded register: XLSX when it is a zip file, else CSV.
func readTable(data []byte) (*importer.Table, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return importer.ReadXLSX(bytes.NewReader(data), "", importer.DefaultLimits)
	}
	return importer.ReadCSV(bytes.NewReader(data), importer.DefaultLimits)
}

func (s *Server) caseImport(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return parseError(err)
	}
	page := caseImportPage{Step: "upload", Name: r.PostForm.Get("name")}
	fail := func(msg string) error {
		page.Errors = map[string]string{"": msg}
		s.render(w, r, http.StatusUnprocessableEntity, "cases_import", page)
		return nil
	}
	var data []byte
	fresh := false
	if f, h, err := r.FormFile("file"); err == nil {
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return parseError(err)
		}
		page.Name, fresh = h.Filename, true
	} else if d := r.PostForm.Get("data"); d != "" {
		if data, err = base64.StdEncoding.DecodeString(d); err != nil {
			return fail("cases.import.bad_data")
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail("cases.import.empty")
	}
	t, err := readTable(data)
	if err != nil {
		return fail("cases.import.unreadable")
	}
	page.Data, page.Columns, page.Rows = base64.StdEncoding.EncodeToString(data), t.Header, len(t.Rows)
	var m importer.Mapping
	if fresh {
		_, m = importer.Suggest(t.Header)
	} else {
		m = importer.Mapping{}
		for _, f := range importer.Fields {
			if col := r.PostForm.Get("map_" + f.Name); col != "" {
				m[col] = f.Name
			}
		}
	}
	byField := map[string]string{}
	for col, f := range m {
		byField[f] = col
	}
	for _, f := range importer.Fields {
		page.Fields = append(page.Fields, importColumn{Field: f, Selected: byField[f.Name]})
	}
	step := r.PostForm.Get("step")
	if fresh || (step != "dry_run" && step != "import") {
		page.Step = "map"
		s.render(w, r, http.StatusOK, "cases_import", page)
		return nil
	}
	a := stateOf(r).actor
	rows, rep := importer.Convert(t, m, importer.Options{Now: time.Now(), Zone: zoneFor(a),
		PhoneRegion: phoneRegion(a), Info: atip.RecordInfo{OwnerOrgID: a.User.OrgID}})
	page.Step, page.Problems = "report", rep.Problems
	if !rep.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, "cases_import", page)
		return nil
	}
	if step == "dry_run" {
		s.render(w, r, http.StatusOK, "cases_import", page)
		return nil
	}
	batch := make([]atip.CaseImport, len(rows))
	for i, row := range rows {
		batch[i] = atip.CaseImport{Line: row.Line, Case: row.Case, Victim: row.Victim, Link: row.VictimLink}
	}
	n, err := svc.ImportCases(r.Context(), batch)
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page.Errors = fields
		s.render(w, r, code, "cases_import", page)
		return nil
	}
	page.Step, page.Stored, page.Data = "done", n, ""
	s.render(w, r, http.StatusOK, "cases_import", page)
	return nil
}

// phoneRegion is the country of the actor's organisation, for numbers
// written without a country code.
func phoneRegion(a *atip.Actor) string {
	if a != nil && a.Org != nil && len(a.Org.Jurisdiction) >= 2 {
		return a.Org.Jurisdiction[:2]
	}
	return "IN"
}
