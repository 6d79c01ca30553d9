package auditlog

import (
	"strconv"
	"time"

	"atip"
)

// CSVHeader names the columns of CSVRow. The web export and `atip audit
// export` both write it, so an auditor's tools read either file alike.
var CSVHeader = []string{"seq", "at", "actor_id", "actor_org_id", "via", "remote_addr", "action",
	"record_type", "record_id", "outcome", "detail", "break_glass"}

// CSVRow returns e as one CSV row matching CSVHeader, time in UTC (RFC
// 3339). Text cells are defused so a spreadsheet never runs them as a
// formula: the trail records what users typed into record ids and details.
func CSVRow(e *atip.AuditEntry) []string {
	return []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano),
		CSVSafe(e.ActorID), CSVSafe(e.ActorOrgID), CSVSafe(string(e.Via)), CSVSafe(e.RemoteAddr),
		CSVSafe(e.Action), CSVSafe(e.RecordType), CSVSafe(e.RecordID), CSVSafe(e.Outcome),
		CSVSafe(e.Detail), strconv.FormatBool(e.BreakGlass),
	}
}

// CSVSafe stops a spreadsheet from running a cell as a formula (CSV
// injection): a cell starting with = + - @ or a tab or carriage return gets
// a leading apostrophe, which spreadsheets show as text.
func CSVSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
