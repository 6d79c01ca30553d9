package atip

// CaseService serves persons, cases (victims, suspects, incidents), notes, timeline, quick intake, case list and search, printable summary (issue 4).
// It is filled in as the work lands; the web pages and the API take it from
// their Config.
type CaseService interface{}
