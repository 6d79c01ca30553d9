package auditlog

import (
	"testing"
	"time"

	"atip"
)

func TestCSVCellsAreNotFormulas(t *testing.T) {
	tests := map[string]string{"=HYPERLINK(1)": "'=HYPERLINK(1)", "+1": "'+1", "-2": "'-2", "@SUM": "'@SUM", "\tx": "'\tx", "org.create": "org.create", "": ""}
	for in, want := range tests {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVRowMatchesHeader(t *testing.T) {
	e := &atip.AuditEntry{Seq: 7, At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.FixedZone("IST", 19800)),
		ActorID: "u1", Via: atip.ViaWeb, Action: "org.create", RecordID: "=cmd()", Outcome: "ok", BreakGlass: true}
	row := CSVRow(e)
	if len(row) != len(CSVHeader) {
		t.Fatalf("row has %d cells, header %d", len(row), len(CSVHeader))
	}
	col := func(name string) string {
		for i, h := range CSVHeader {
			if h == name {
				return row[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	if got := col("at"); got != "2026-03-01T04:30:00Z" {
		t.Errorf("at = %q, want UTC", got)
	}
	if got := col("record_id"); got != "'=cmd()" {
		t.Errorf("record_id = %q, want defused", got)
	}
	if col("seq") != "7" || col("break_glass") != "true" || col("action") != "org.create" {
		t.Errorf("row = %v", row)
	}
}
