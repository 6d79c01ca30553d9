package atip

// IntakeService serves signals, interceptions at borders and transit points, missing-person reports (issue 4).
// It is filled in as the work lands; the web pages and the API take it from
// their Config.
type IntakeService interface{}
