package atip

// CareService serves SOP checklists and deadlines, repatriation and hand-overs, care plans and follow-ups, the legal track (issue 4).
// It is filled in as the work lands; the web pages and the API take it from
// their Config.
type CareService interface{}
