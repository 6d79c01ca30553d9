package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"atip"
	"atip/internal/codelist"
)

// Export of the case list: what the user may take out of ATIP in a file
// (the policy's RecordExport decision, record by record), reference fields
// only, each row with its TLP marking so whoever opens the file knows how
// far it may travel. The service audits every export.

var caseExportHeader = []string{"ref", "id", "tlp", "intake_at_utc", "intake_channel", "intake_district", "case_type",
	"status", "stage", "complete", "overdue_steps"}

func caseExportRow(v *atip.CaseView) []string {
	c := v.Case
	return []string{v.Ref, c.ID, string(v.TLP), c.IntakeAt.UTC().Format(time.RFC3339), c.IntakeChannel, c.IntakeDistrict,
		c.CaseType(), c.Status, c.Stage, strconv.FormatBool(c.Complete), strconv.Itoa(v.Overdue)}
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Server) caseExport(r *http.Request, format string) ([]*atip.CaseView, error) {
	svc, err := s.casesService()
	if err != nil {
		return nil, err
	}
	f := caseFilterOf(r.URL.Query())
	return svc.ExportCases(r.Context(), f, format)
}

func exportName(ext string) string {
	return fmt.Sprintf("cases-%s.%s", time.Now().UTC().Format("20060102-150405"), ext)
}

func (s *Server) caseExportCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := s.caseExport(r, "csv")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(caseExportHeader)
	for _, v := range list {
		row := caseExportRow(v)
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exportName("csv")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Server) caseExportXLSX(w http.ResponseWriter, r *http.Request) error {
	list, err := s.caseExport(r, "xlsx")
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Cases"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	cells := func(row []string) []any {
		out := make([]any, len(row))
		for i, v := range row {
			out[i] = v
		}
		return out
	}
	if err := sw.SetRow("A1", cells(caseExportHeader)); err != nil {
		return err
	}
	for i, v := range list {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells(caseExportRow(v))); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// The code lists' version, so the file says which codes it uses.
	_ = x.SetDocProps(&excelize.DocProperties{Title: "ATIP cases", Description: "codes: HTCDS-aligned code lists " + codelist.Version()})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exportName("xlsx")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
