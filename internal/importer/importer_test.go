package importer

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"atip"
)

var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func readFile(t *testing.T, name string) *Table {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := ReadCSV(f, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestSuggestMapsRegisterHeaders(t *testing.T) {
	tab := readFile(t, "register-good.csv")
	_, m := Suggest(tab.Header)
	want := map[string]string{
		"Sl No": "external_ref", "Date of Rescue": "intake_date", "District": "intake_district",
		"Type of Trafficking": "exploitation", "Name of Victim": "victim_name", "Sex": "victim_sex", "Age": "victim_age",
		"Nationality": "victim_nationality", "Mobile No": "victim_phone", "Home District": "home_district",
		"Village": "home_village", "Victim Status": "trafficking_status", "Identified By": "status_decided_by",
		"FIR No": "fir_number", "FIR Date": "fir_date", "Remarks": "notes", "Name (Local)": "victim_name_native",
	}
	for col, f := range want {
		if m[col] != f {
			t.Errorf("column %q suggested %q, want %q", col, m[col], f)
		}
	}
	// Headers in the region's languages.
	_, m = Suggest([]string{"नाम", "उम्र", "জেলা", "तारीख", "लिंग"})
	for col, f := range map[string]string{"नाम": "victim_name", "उम्र": "victim_age", "জেলা": "intake_district", "तारीख": "intake_date", "लिंग": "victim_sex"} {
		if m[col] != f {
			t.Errorf("column %q suggested %q, want %q", col, m[col], f)
		}
	}
	// Nothing fits: no suggestion rather than a wrong one.
	if s, _ := Suggest([]string{"Shoe size"}); s[0].Field != "" {
		t.Errorf("suggested %q for an unrelated column", s[0].Field)
	}
}

func TestGoodRegisterImports(t *testing.T) {
	tab := readFile(t, "register-good.csv")
	_, m := Suggest(tab.Header)
	rows, rep := Convert(tab, m, Options{Now: now, Info: atip.RecordInfo{OwnerOrgID: "org"}})
	if !rep.OK() {
		t.Fatal(rep)
	}
	if len(rows) != 3 || rep.Rows != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[2].Line != 5 {
		t.Errorf("blank line not counted: third row at line %d", rows[2].Line)
	}
	r := rows[0]
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	if got := r.Case.IntakeAt.In(kolkata).Format("2006-01-02"); got != "2024-03-05" {
		t.Errorf("day-first date read as %s", got)
	}
	if r.Case.Exploitation[0] != "sexual_exploitation" || r.Victim.Sex != "female" || r.Victim.AgeYears != 15 ||
		r.Victim.AgeMethod != "not_recorded" || !r.VictimLink.ChildAtIntake || r.VictimLink.TraffickingStatus != "confirmed_victim" {
		t.Errorf("row 1: %+v %+v", r.Case, r.Victim)
	}
	if r.Victim.Phones[0] != "+9779841000000" {
		t.Errorf("phone read in the nationality's region: %v", r.Victim.Phones)
	}
	if len(r.Victim.Names) != 2 || r.Victim.Names[1].Script != "Deva" {
		t.Errorf("names %+v", r.Victim.Names)
	}
	if r.Legal == nil || r.Legal.FIRNumber != "45/2024" {
		t.Errorf("legal %+v", r.Legal)
	}
	if got := rows[1].Case.Exploitation; len(got) != 2 || got[0] != "domestic_servitude" || got[1] != "forced_labour_brick_kiln" {
		t.Errorf("several forms by label: %v", got)
	}
	if rows[2].Victim.Phones[0] != "+919810000000" || rows[2].VictimLink.ChildAtIntake {
		t.Errorf("row 3: %+v", rows[2].Victim)
	}
	// Places by name, in any script the gazetteer knows.
	if rows[2].Case.IntakeDistrict != "IN-DL" || rows[2].Victim.HomeDistrict != "IN-JH-GUMLA" || rows[1].Victim.HomeDistrict != "BD-D-JASHORE" {
		t.Errorf("places: %s %s %s", rows[2].Case.IntakeDistrict, rows[2].Victim.HomeDistrict, rows[1].Victim.HomeDistrict)
	}
	if rows[0].Case.Info.OwnerOrgID != "org" || rows[0].Case.Complete {
		t.Error("imported case should carry the owner and await review")
	}
}

func TestBadRegisterReportsEveryRowAndImportsNothing(t *testing.T) {
	tab := readFile(t, "register-bad.csv")
	_, m := Suggest(tab.Header)
	rows, rep := Convert(tab, m, Options{Now: now})
	if rows != nil {
		t.Fatalf("%d rows returned from a file with bad rows", len(rows))
	}
	want := []struct {
		line  int
		field string
		msg   string
	}{
		{2, "intake_date", "not a date"},
		{3, "intake_district", "not a place the gazetteer knows"},
		{4, "exploitation", "not a exploitation value"},
		{5, "victim_sex", "not a sex value"},
		{6, "victim_age", "whole number"},
		{7, "victim_nationality", "two-letter"},
		{8, "victim_phone", "not a valid phone"},
		{9, "fir_date", "required with an FIR"},
		{10, "intake_date", "in the future"},
		{11, "external_ref", "same case number as line 2"},
		{12, "victim_sex", "is empty"},
		{13, "", "has 12 cells but the header has 11"},
	}
	if len(rep.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(rep.Problems), len(want), rep)
	}
	for _, w := range want {
		found := false
		for _, p := range rep.Problems {
			found = found || (p.Line == w.line && p.Field == w.field && strings.Contains(p.Message, w.msg))
		}
		if !found {
			t.Errorf("no problem at line %d, field %q, %q in\n%v", w.line, w.field, w.msg, rep)
		}
	}
	// The report names the source column and never repeats a cell.
	s := rep.Error()
	if !strings.Contains(s, `line 5: column "Sex" (victim_sex)`) {
		t.Errorf("report does not name the column:\n%s", s)
	}
	if strings.Contains(s, "Synthetic") || strings.Contains(s, "fifteen") || strings.Contains(s, "12345") {
		t.Errorf("report repeats cell contents:\n%s", s)
	}
}

func TestAmbiguousPlaceIsRefused(t *testing.T) {
	tab := &Table{Header: []string{"Date", "District", "Sex"}, Rows: [][]string{{"2024-01-01", "Aurangabad", "F"}}, Lines: []int{2}}
	_, m := Suggest(tab.Header)
	_, rep := Convert(tab, m, Options{Now: now})
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Message, "several places") {
		t.Errorf("%v", rep)
	}
}

func TestMappingProblems(t *testing.T) {
	header := []string{"A", "B", "C"}
	ps := Mapping{"A": "victim_sex", "B": "victim_sex", "C": "shoe_size", "D": "notes"}.Check(header)
	for _, w := range []string{`column "B" (victim_sex): is already mapped from column "A"`, `column "C" (shoe_size): is not a field`,
		`column "D" (notes): the file has no such column`, "intake_date: is required", "intake_district: is required"} {
		found := false
		for _, p := range ps {
			found = found || p.String() == w || strings.HasPrefix(p.String(), w)
		}
		if !found {
			t.Errorf("missing %q in %v", w, ps)
		}
	}
	tab := &Table{Header: header, Rows: [][]string{{"f", "f", "x"}}, Lines: []int{2}}
	if rows, rep := Convert(tab, Mapping{"A": "victim_sex"}, Options{Now: now}); rows != nil || rep.OK() {
		t.Error("bad mapping converted rows")
	}
}

func TestReadCSVVariants(t *testing.T) {
	tab := readFile(t, "semicolon.csv")
	if len(tab.Header) != 4 || tab.Rows[0][3] != "F" {
		t.Errorf("semicolon file: %v", tab)
	}
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"empty", "", 0, "empty"},
		{"not UTF-8", "Name,Sex\nA,F\nB\xff,F\n", 3, "not UTF-8"},
		{"bare quote", "Name,Sex\n\"A,F\n", 2, "cannot read"},
		{"duplicate header", "Sex,sex\n", 1, "same header"},
		{"blank header", "Sex,,Age\n", 1, "no header"},
	}
	for _, tt := range tests {
		_, err := ReadCSV(strings.NewReader(tt.data), DefaultLimits)
		var re *ReadError
		if !errors.As(err, &re) || re.Line != tt.line || !strings.Contains(re.Msg, tt.msg) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// With a byte-order mark and native digits.
	tab, err := ReadCSV(strings.NewReader("\xef\xbb\xbfAge\n१५\n"), DefaultLimits)
	if err != nil || tab.Header[0] != "Age" || tab.Rows[0][0] != "15" {
		t.Errorf("BOM and Devanagari digits: %v %v", tab, err)
	}
	lim := Limits{MaxBytes: 100, MaxRows: 1, MaxCols: 2, MaxCell: 5}
	for _, data := range []string{strings.Repeat("a", 101), "A,B,C\n", "A\n1\n2\n", "A\n123456\n"} {
		if _, err := ReadCSV(strings.NewReader(data), lim); err == nil {
			t.Errorf("limit not enforced on %q", data[:min(len(data), 20)])
		}
	}
}

func xlsx(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := xlsx(t, [][]any{
		{"Date of Rescue", "District", "Sex", "Age", "Mobile No"},
		{time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "IN-DL", "F", 15, 9810000000},
		{},
		{"05/03/2024", "IN-DL", "M", 30, ""},
	})
	tab, err := ReadXLSX(bytes.NewReader(data), "", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Lines[1] != 4 {
		t.Fatalf("rows %v lines %v", tab.Rows, tab.Lines)
	}
	_, m := Suggest(tab.Header)
	rows, rep := Convert(tab, m, Options{Now: now})
	if !rep.OK() {
		t.Fatal(rep)
	}
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	for i, r := range rows {
		if got := r.Case.IntakeAt.In(kolkata).Format("2006-01-02"); got != "2024-03-05" {
			t.Errorf("row %d: date %s (serial or text)", i, got)
		}
	}
	if rows[0].Victim.Phones[0] != "+919810000000" {
		t.Errorf("numeric phone cell: %v", rows[0].Victim.Phones)
	}
	if _, err := ReadXLSX(bytes.NewReader(data), "Other", DefaultLimits); err == nil {
		t.Error("missing sheet accepted")
	}
	if _, err := ReadXLSX(strings.NewReader("not a zip"), "", DefaultLimits); err == nil {
		t.Error("garbage accepted")
	}
}

func TestReadXLSXUnzipLimit(t *testing.T) {
	// A sheet that compresses well: a few KB zipped, far more unzipped.
	rows := [][]any{{"Notes"}}
	for i := range 3000 {
		rows = append(rows, []any{strings.Repeat("x", 200) + strconv.Itoa(i)})
	}
	data := xlsx(t, rows)
	lim := DefaultLimits
	lim.MaxBytes = int64(len(data)) + 1024 // the upload fits, its unzipped sheet does not
	if _, err := ReadXLSX(bytes.NewReader(data), "", lim); err == nil {
		t.Errorf("a %d-byte workbook unzipping past %d bytes was read", len(data), 8*lim.MaxBytes)
	}
	if tab, err := ReadXLSX(bytes.NewReader(data), "", DefaultLimits); err != nil || len(tab.Rows) != 3000 {
		t.Errorf("within the default limits: %v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"register-good.csv", "register-bad.csv", "semicolon.csv"} {
		data, _ := os.ReadFile("testdata/" + name)
		f.Add(data)
	}
	f.Add([]byte("a,\"b\nc\",d\n1,2,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxBytes: 1 << 16, MaxRows: 100, MaxCols: 20, MaxCell: 200}
		tab, err := ReadCSV(bytes.NewReader(data), lim)
		if err != nil {
			return
		}
		if len(tab.Rows) != len(tab.Lines) || len(tab.Rows) > lim.MaxRows {
			t.Fatalf("%d rows, %d lines", len(tab.Rows), len(tab.Lines))
		}
		for i := 1; i < len(tab.Lines); i++ {
			if tab.Lines[i] <= tab.Lines[i-1] {
				t.Fatalf("lines not increasing: %v", tab.Lines)
			}
		}
		// Whatever was read converts or reports, without panicking.
		_, m := Suggest(tab.Header)
		rows, rep := Convert(tab, m, Options{Now: now})
		if rows == nil && rep.OK() && len(tab.Rows) > 0 {
			t.Fatal("no rows and no problems")
		}
	})
}
