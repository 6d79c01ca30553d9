// Package casegen generates realistic, clearly synthetic trafficking cases:
// deterministic from a seed, fast enough for a million (the case list and
// search benchmarks of issue 4), and small enough to seed `atip demo`.
//
// Synthetic means: every person is an invented combination of common names
// from ATIP's own lists; every phone number is in the ITU-reserved country
// code +999, which no network routes; every document number starts with
// "SYN"; every reference starts with "SYN-"; every record is made by
// CreatedBy "casegen". Routes, places (gazetteer codes), ages and forms of
// exploitation follow the patterns of South Asian case loads so that lists,
// filters and statistics behave as they would on real data.
package casegen

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"time"

	"atip"
	"atip/internal/redact"
	"atip/internal/sop"
)

// Options configure a generator. The zero value is usable.
type Options struct {
	Seed uint64
	// OrgIDs own the generated records, chosen at random; default one
	// organisation "synthetic-org".
	OrgIDs []string
	// UserIDs are the caseworkers cases are assigned to, chosen at random;
	// none when empty.
	UserIDs []string
	// From and To bound the intake times; default 2019-01-01 to 2026-01-01 UTC.
	// To is also "now" for the progress of the generated cases.
	From, To time.Time
	// Checklists makes each record's SOP checklist from the shipped
	// procedures, with the steps a case at its stage would have done (and
	// some overdue ones), for the overdue filter and the dashboard. It
	// roughly doubles the time per record.
	Checklists bool
}

// Record is one generated case with its people.
type Record struct {
	Case         atip.Case
	Victims      []atip.Person
	Suspects     []atip.Person
	Interception *atip.Interception // set when the case came from an interception
	Legal        *atip.LegalTrack   // set when an FIR was registered
	Checklist    *sop.Checklist     // set with Options.Checklists
}

// Generator produces records; it is not safe for concurrent use (run one per
// goroutine with different seeds).
type Generator struct {
	rng     *rand.Rand
	orgs    []string
	from    time.Time
	span    int64 // seconds
	formCum []int
	chanCum []int
	platCum []int
	users   []string
	sops    *sop.Set
}

// CreatedBy marks every generated record.
const CreatedBy = "casegen"

// New returns a generator; the same options give the same records.
func New(o Options) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), orgs: o.OrgIDs}
	if len(g.orgs) == 0 {
		g.orgs = []string{"synthetic-org"}
	}
	g.users = o.UserIDs
	if o.Checklists {
		s, err := sop.Default()
		if err != nil {
			panic("casegen: shipped procedures: " + err.Error()) // the sop tests catch this first
		}
		g.sops = s
	}
	g.from, g.span = o.From, int64(o.To.Sub(o.From)/time.Second)
	if o.From.IsZero() || g.span <= 0 {
		g.from = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
		g.span = int64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Sub(g.from) / time.Second)
	}
	for _, f := range forms {
		g.formCum = appendCum(g.formCum, f.weight)
	}
	for _, c := range channels {
		g.chanCum = appendCum(g.chanCum, c.weight)
	}
	for _, p := range platforms {
		g.platCum = appendCum(g.platCum, p.weight)
	}
	return g
}

func appendCum(cum []int, w int) []int {
	last := 0
	if len(cum) > 0 {
		last = cum[len(cum)-1]
	}
	return append(cum, last+w)
}

func (g *Generator) pickCum(cum []int) int {
	x := g.rng.IntN(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

func (g *Generator) pct(p int) bool { return g.rng.IntN(100) < p }

func pick[T any](g *Generator, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// id returns a UUIDv7-shaped id whose time part is t, so generated ids sort
// by intake time as real ones sort by creation, with the rest from the seed.
func (g *Generator) id(t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint64(b[8:], g.rng.Uint64())
	r := g.rng.Uint32()
	b[6], b[7] = 0x70|byte(r>>8)&0x0f, byte(r)
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

func (g *Generator) ref(prefix string) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], g.rng.Uint32())
	return prefix + "-SYN-" + hex.EncodeToString(b[:])
}

// Phone returns a number in the reserved country code +999.
func (g *Generator) phone() string {
	return "+999" + strconv.FormatUint(1_000_000_000+g.rng.Uint64N(9_000_000_000), 10)
}

// Next returns the next record.
func (g *Generator) Next() *Record {
	f := forms[g.pickCum(g.formCum)]
	channel := channels[g.pickCum(g.chanCum)].code
	intake := g.from.Add(time.Duration(g.rng.Int64N(g.span)) * time.Second)
	org := pick(g, g.orgs)
	info := atip.RecordInfo{OwnerOrgID: org, Distribution: atip.DistOwner, TLP: atip.TLPAmber,
		CreatedAt: intake, CreatedBy: CreatedBy, UpdatedAt: intake, UpdatedBy: CreatedBy}

	// Where the victims come from, and how they travel.
	var pop *people
	var cross *crossing
	var home string
	switch x := g.rng.IntN(100); {
	case x < 30:
		pop, cross = &nepali, &nepalCrossings[g.rng.IntN(len(nepalCrossings))]
		home = pick(g, nepali.sourceDistricts)
	case x < 48:
		pop, cross = &bengali, &bangladeshCrossings[g.rng.IntN(len(bangladeshCrossings))]
		home = pick(g, bdSources)
	case x < 65:
		pop, home = &bengali, pick(g, wbSources)
	default:
		pop, home = &hindi, pick(g, hindi.sourceDistricts)
	}
	foreign := cross != nil
	dest := pick(g, destinations[f.family])
	abroad := len(dest) == 2 // a country code: the journey leaves South Asia
	r := &Record{}
	c := &r.Case
	c.ID, c.Ref, c.Info = g.id(intake), g.ref("CASE"), info
	c.IntakeChannel, c.IntakeAt = channel, intake
	c.Exploitation = []string{f.code}
	c.CrossBorder = foreign || abroad

	in := atip.Incident{ID: g.id(intake), Origin: home, Destination: dest, ExploitationForm: f.code}
	in.RecruitedAt = intake.Add(-time.Duration(1+g.rng.IntN(365*24)) * time.Hour)
	in.RecruitedIn = home
	in.RecruitmentMeans = []string{pick(g, []string{"job_offer", "job_offer", "job_offer", "marriage_offer", "travel_help", "education_offer", "debt", "sold_by_family"})}
	if f.platforms && g.pct(55) {
		in.OnlinePlatforms = []string{platforms[g.pickCum(g.platCum)].code}
	}
	if cross != nil {
		in.BorderPoint = cross.id
		in.TransitPoints = []string{cross.from, cross.to}
	}
	if g.pct(60) {
		in.TransitPoints = append(in.TransitPoints, pick(g, transitHubs))
	}
	in.Transport = []string{pick(g, []string{"bus", "bus", "train", "train", "private_vehicle", "on_foot", "rickshaw"})}
	if abroad {
		in.Transport = append(in.Transport, "air")
	}
	exploited := channel != "interception" && channel != "missing_report"
	if exploited {
		in.ExploitationPlace = dest
		in.ExploitedFrom = in.RecruitedAt.Add(time.Duration(24+g.rng.IntN(14*24)) * time.Hour)
		if in.ExploitedFrom.After(intake) {
			in.ExploitedFrom = intake.Add(-24 * time.Hour)
		}
		in.ExploitedUntil = intake
	}

	// Where the case was opened.
	switch {
	case channel == "interception" && cross != nil:
		c.IntakeDistrict = cross.to
	case channel == "interception":
		c.IntakeDistrict = pick(g, transitHubs)
	case channel == "helpline" || channel == "missing_report" || channel == "self_referral":
		c.IntakeDistrict = home
	case abroad:
		c.IntakeDistrict = "IN-DL" // returned through the capital's airport
	default:
		c.IntakeDistrict = dest
	}

	nv := 1
	if x := g.rng.IntN(100); x >= 75 {
		nv = 2 + g.rng.IntN(4)*g.rng.IntN(2) // mostly 2, sometimes up to 5 (a kiln or a brothel raid)
	}
	decided := "ngo"
	switch channel {
	case "rescue", "missing_report":
		decided = "police"
	case "interception":
		decided = "border_unit"
	}
	for range nv {
		p := g.person(pop, intake, f, info, home)
		p.Roles = []atip.PersonRole{atip.PersonVictim}
		r.Victims = append(r.Victims, p)
		status := "presumed_victim"
		if exploited && g.pct(70) {
			status = "confirmed_victim"
		}
		c.Victims = append(c.Victims, atip.CaseVictim{
			PersonID: p.ID, TraffickingStatus: status, StatusDecidedBy: decided, StatusDecidedAt: intake,
			RelationToTrafficker: pick(g, []string{"acquaintance", "neighbour", "recruitment_agent", "online_contact", "other_family", "intimate_partner", "employer", "stranger"}),
			MeansOfRecruitment:   in.RecruitmentMeans,
			MeansOfControl:       g.control(exploited),
			ChildAtIntake:        p.ChildAt(intake),
		})
	}
	for range g.rng.IntN(4) {
		s := g.person(pickSuspectPop(g, pop), intake, form{female: 25}, info, home)
		s.Roles = []atip.PersonRole{atip.PersonSuspect}
		s.AgeYears, s.AgeBand, s.AgeMethod = 25+g.rng.IntN(30), "", "officer_estimate"
		r.Suspects = append(r.Suspects, s)
		role := pick(g, []string{"recruiter", "recruiter", "transporter", "exploiter", "exploiter", "controller", "financier", "facilitator"})
		c.Suspects = append(c.Suspects, atip.CaseSuspect{PersonID: s.ID, Roles: []string{role}, Arrested: g.pct(40)})
		if role == "recruiter" {
			in.RecruiterIDs = append(in.RecruiterIDs, s.ID)
		}
	}
	c.Incidents = []atip.Incident{in}
	if len(g.users) > 0 {
		c.AssignedTo = []string{pick(g, g.users)}
	}
	var arrested time.Time
	for _, s := range c.Suspects {
		if s.Arrested {
			arrested = intake.Add(time.Duration(1+g.rng.IntN(72)) * time.Hour)
			break
		}
	}
	if channel == "rescue" || !arrested.IsZero() || g.pct(30) {
		lt := &atip.LegalTrack{ID: g.id(intake), Info: info, CaseID: c.ID, PoliceStation: c.IntakeDistrict,
			FIRNumber: strconv.Itoa(1+g.rng.IntN(900)) + "/" + strconv.Itoa(intake.Year()),
			FIRAt:     intake.Add(time.Duration(1+g.rng.IntN(12)) * time.Hour), Stage: "investigation"}
		lt.Sections = []atip.LawSection{{Act: "BNS", Section: "143"}}
		if intake.Before(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)) {
			lt.Sections = []atip.LawSection{{Act: "IPC", Section: "370"}}
		}
		if !arrested.IsZero() {
			for _, s := range c.Suspects {
				if s.Arrested {
					lt.Arrests = append(lt.Arrests, atip.Arrest{PersonID: s.PersonID, At: arrested})
				}
			}
			if g.pct(70) {
				lt.ChargeSheetAt = arrested.Add(time.Duration(20+g.rng.IntN(80)) * 24 * time.Hour)
				lt.Stage = pick(g, []string{"charge_sheet", "charges_framed", "prosecution_evidence", "judgment"})
				if lt.Stage == "judgment" {
					lt.Outcome = pick(g, []string{"convicted", "acquitted", "acquitted"})
					lt.OutcomeAt = lt.ChargeSheetAt.Add(time.Duration(200+g.rng.IntN(900)) * 24 * time.Hour)
				}
			}
		}
		r.Legal = lt
	}

	// Older cases are further along.
	age := float64(intake.Sub(g.from)) / float64(time.Duration(g.span)*time.Second)
	switch x := g.rng.Float64(); {
	case x < (1-age)*0.8:
		c.Status, c.Stage = "closed", "closed"
		c.ClosedAt = intake.Add(time.Duration(30+g.rng.IntN(700)) * 24 * time.Hour)
		c.ClosureReason = pick(g, []string{"reintegrated", "reintegrated", "repatriated", "transferred", "lost_contact"})
	case x < 0.85:
		c.Status = "active"
		c.Stage = pick(g, []string{"first_response", "care", "care", "repatriation", "reintegration", "follow_up"})
	default:
		c.Status, c.Stage = "open", "intake"
	}
	c.Complete = c.Stage != "intake" || g.pct(50)

	if channel == "interception" {
		x := &atip.Interception{ID: g.id(intake), Ref: g.ref("INT"), Info: info, At: intake,
			District: c.IntakeDistrict, Direction: "outbound", Transport: in.Transport[0],
			Origin: home, Destination: dest, CatalogueVersion: 1, Certainty: 1 + g.rng.IntN(5),
			Outcome: "case_opened", CaseID: c.ID, RecordedBy: "synthetic-officer-1", VerifiedBy: "synthetic-officer-2",
			VerifiedAt: intake.Add(time.Duration(10+g.rng.IntN(600)) * time.Minute)}
		if cross != nil {
			x.Point = cross.id
			x.Direction = "inbound"
		} else {
			x.Point = "railway-station"
		}
		for _, v := range r.Victims {
			x.PersonIDs = append(x.PersonIDs, v.ID)
		}
		for _, s := range r.Suspects {
			x.CompanionIDs = append(x.CompanionIDs, s.ID)
		}
		x.Flags = g.flags(r.Victims[0].ChildAt(intake), len(r.Suspects) > 0)
		r.Interception = x
		c.InterceptionID = x.ID
	}
	if g.sops != nil {
		r.Checklist = g.checklist(r, arrested)
	}
	return r
}

// checklist instantiates the procedures of a record and ticks the steps a
// case at its stage would have done by the generator's "now" (To): all of
// them for a closed case, most for an open one, leaving the rest overdue or
// pending as real case loads do.
func (g *Generator) checklist(r *Record, arrested time.Time) *sop.Checklist {
	c := &r.Case
	now := g.from.Add(time.Duration(g.span) * time.Second)
	f := sop.FactsFor(c, r.Victims, c.IntakeDistrict[:2])
	cl, err := g.sops.Instantiate(g.sops.Applicable(f), f, c.IntakeAt, time.Duration(g.rng.IntN(6))*time.Hour)
	if err != nil {
		return nil // the shipped procedures instantiate for every case; sop's tests say so
	}
	if !arrested.IsZero() {
		cl.SetEvent("arrest", arrested)
	}
	// An open case leaves a step undone now and then; a closed one none.
	neglected := make([]bool, len(cl.Items))
	if c.Status != "closed" {
		for i := range neglected {
			neglected[i] = g.pct(7)
		}
	}
	// Steps that count from other steps get a due time only once those are
	// done, so tick in a few passes.
	for range 4 {
		for i := range cl.Items {
			it := &cl.Items[i]
			if neglected[i] || it.Finished() || it.Due.IsZero() || it.Due.After(now) {
				continue
			}
			// Done somewhat before the due time, never before intake.
			at := it.Due.Add(-time.Duration(g.rng.Int64N(int64(it.Due.Sub(c.IntakeAt)/2 + 1))))
			if at.Before(c.IntakeAt) {
				at = c.IntakeAt
			}
			// Marked directly and recomputed once a pass: Complete
			// recomputes the whole checklist for every step.
			it.Status, it.DoneAt, it.DoneBy = sop.StatusDone, at.UTC(), "synthetic-user"
		}
		cl.Recompute()
	}
	return cl
}

func pickSuspectPop(g *Generator, pop *people) *people {
	if g.pct(70) {
		return pop
	}
	return &hindi
}

func (g *Generator) control(exploited bool) []string {
	if !exploited {
		return nil
	}
	all := []string{"restricted_movement", "documents_confiscated", "withheld_wages", "threats_to_person",
		"threats_to_family", "physical_violence", "debt_bondage", "isolation", "false_promises", "excessive_hours"}
	n := 1 + g.rng.IntN(3)
	out := make([]string, 0, n)
	for _, i := range g.rng.Perm(len(all))[:n] {
		out = append(out, all[i])
	}
	return out
}

func (g *Generator) flags(minor, companion bool) []string {
	var out []string
	if minor && companion {
		out = append(out, "minor_with_unrelated_adult")
	}
	for _, f := range []string{"job_does_not_exist", "family_unaware", "no_documents", "contradictory_stories", "destination_unknown", "first_time_away"} {
		if g.pct(35) {
			out = append(out, f)
		}
	}
	if companion && g.pct(50) {
		out = append(out, "companion_not_relative")
	}
	return out
}

var ageMethods = []string{"officer_estimate", "officer_estimate", "self_declared", "school_certificate", "birth_certificate", "ossification_test"}

func (g *Generator) person(pop *people, intake time.Time, f form, info atip.RecordInfo, home string) atip.Person {
	p := atip.Person{ID: g.id(intake), Ref: g.ref("PER"), Info: info, Nationality: pop.nationality,
		Languages: []string{pop.language}, HomeDistrict: home}
	if home[:2] != pop.nationality {
		p.Nationality = home[:2]
	}
	female := g.pct(f.female)
	given := pop.male
	p.Sex = "male"
	if female {
		given, p.Sex = pop.female, "female"
	}
	first := pick(g, given)
	last := pick(g, pop.surname)
	if female && len(pop.femaleSurname) > 0 && g.pct(40) {
		last = pick(g, pop.femaleSurname)
	}
	p.Names = []atip.PersonName{
		{Full: first.latin + " " + last.latin, Script: "Latn", Kind: "name"},
		{Full: first.native + " " + last.native, Script: pop.script, Kind: "name"},
	}
	if g.pct(15) {
		p.Names = append(p.Names, atip.PersonName{Full: pick(g, given).latin, Script: "Latn", Kind: "alias"})
	}
	// Ages skew young: children are 10–17, mostly 14–17; adults mostly
	// under 30.
	var age int
	if g.pct(f.childPct) {
		age = 17 - int(g.rng.ExpFloat64()*1.8)
		age = max(age, 8)
	} else {
		age = 18 + int(g.rng.ExpFloat64()*7)
		age = min(age, 60)
	}
	p.AgeYears, p.AgeAsOf, p.AgeMethod = age, intake, pick(g, ageMethods)
	if p.AgeMethod == "birth_certificate" || p.AgeMethod == "school_certificate" {
		p.BirthDate = time.Date(intake.Year()-age, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
		if p.BirthDate.AddDate(age, 0, 0).After(intake) {
			p.BirthDate = p.BirthDate.AddDate(-1, 0, 0)
		}
	}
	p.AgeBand = redact.AgeBand(p.AgeAt(intake))
	p.HomeVillage = "Synthetic village " + strconv.Itoa(1+g.rng.IntN(400))
	if g.pct(50) {
		p.Phones = []string{g.phone()}
	}
	if g.pct(30) {
		doc := "aadhaar"
		switch p.Nationality {
		case "NP":
			doc = "np_citizenship"
		case "BD":
			doc = "bd_nid"
		}
		p.Documents = []atip.IdentityDocument{{Type: doc, Number: "SYN" + strconv.FormatUint(g.rng.Uint64N(1e9), 10),
			Country: p.Nationality, Held: g.pct(60)}}
	}
	p.Notes = "Synthetic record generated for testing; describes no real person."
	return p
}

// Chunk returns records [k*size, (k+1)*size) of a large deterministic set:
// chunk k is generated from its own seed derived from o.Seed and k, so a
// loader can generate chunks on as many goroutines as it likes and still get
// the same million cases every run.
func Chunk(o Options, k, size int) []*Record {
	o.Seed = o.Seed*0x9e3779b97f4a7c15 + uint64(k)*0xbf58476d1ce4e5b9 + 1
	g := New(o)
	out := make([]*Record, size)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}
