package atip

// Record types of the intake area (issue 4): kept in their own file so that
// the areas working in parallel each add theirs without editing sharing.go.
const (
	RecordInterception RecordType = "interception" // a stop at a border crossing or transit point
	RecordSignal       RecordType = "signal"       // a helpline call, self-referral or partner's tip, before any case
)

func init() { RecordTypes = append(RecordTypes, RecordInterception, RecordSignal) }
