package demo

import (
	"context"
	"fmt"
	"time"

	"atip"
	"atip/internal/database"
)

// SeedIntake adds clearly synthetic intake records: interceptions at the
// Raxaul border outpost (recorded by demo.responder, waiting for a second
// person), helpline signals and a family's missing-person report at the
// AHTU (recorded by demo.supervisor). It is idempotent: nothing is added
// when the responder's organisation has interceptions already. Seed must
// have run first.
func SeedIntake(ctx context.Context, db *database.DB) error {
	op := atip.OperatorContext(ctx)
	users := database.NewUserService(db)
	as := func(login string) (context.Context, error) {
		u, err := users.FindUserByLogin(op, login)
		if err != nil {
			return nil, fmt.Errorf("demo intake: %s: %w", login, err)
		}
		o, err := database.NewOrgService(db).FindOrgByID(op, u.OrgID)
		if err != nil {
			return nil, err
		}
		return atip.NewContextWithActor(ctx, &atip.Actor{User: u, Org: o, Via: atip.ViaCLI}), nil
	}
	responder, err := as("demo.responder")
	if err != nil {
		return err
	}
	supervisor, err := as("demo.supervisor")
	if err != nil {
		return err
	}
	svc := database.NewIntakeService(db)
	have, _, err := svc.Interceptions(responder, atip.InterceptionFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(have) > 0 {
		return nil
	}
	now := db.Now()
	xs := []*atip.Interception{
		{At: now.Add(-26 * time.Hour), Point: "raxaul-birgunj", District: "IN-BR-EAST_CHAMPARAN", Direction: "inbound", Transport: "bus",
			Origin: "NP-P3-SINDHUPALCHOK", Destination: "IN-DL", StatedPurpose: "DEMO (synthetic): work in a hotel in Delhi",
			Stopped:    []atip.StoppedPerson{{Names: []string{"Demo Synthetic Girl A"}, Sex: "female", AgeYears: 15, AgeEstimate: true, Nationality: "NP", Phone: "+9779990000101"}},
			Companions: []atip.Companion{{Name: "Demo Synthetic Companion A", Relation: "uncle (not confirmed)", Sex: "male", AgeYears: 36, Phone: "+919990000102"}},
			Flags:      []string{"minor_with_unrelated_adult", "job_does_not_exist", "family_unaware"}, Certainty: 4,
			Account: "DEMO (synthetic): says an uncle arranged a hotel job; the family was told she went to a relative's wedding.",
			Info:    atip.RecordInfo{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}},
		{At: now.Add(-5 * time.Hour), Point: "raxaul-railway-station", District: "IN-BR-EAST_CHAMPARAN", Direction: "outbound", Transport: "train",
			Origin: "IN-BR-SITAMARHI", Destination: "IN-MH-MUMBAI", StatedPurpose: "DEMO (synthetic): visiting a cousin",
			Stopped: []atip.StoppedPerson{{Names: []string{"Demo Synthetic Woman B"}, Sex: "female", AgeYears: 22, Nationality: "IN"}},
			Flags:   []string{"first_time_away", "gifts_from_companion"}, Certainty: 2,
			Info: atip.RecordInfo{Distribution: atip.DistOwner, TLP: atip.TLPAmber}},
	}
	for _, x := range xs {
		if err := svc.CreateInterception(responder, x); err != nil {
			return fmt.Errorf("demo interception: %w", err)
		}
	}
	signals := []*atip.Signal{
		{Channel: "helpline", ReceivedAt: now.Add(-3 * time.Hour), District: "IN-BR-SITAMARHI", Concern: "forced_labour_brick_kiln", Urgent: true,
			Summary: "DEMO (synthetic): three boys taken by an agent to a brick kiln", CallerName: "Demo Synthetic Caller", CallerPhone: "+919990000103",
			Account: "DEMO (synthetic): my nephew left with an agent two weeks ago and does not answer."},
		{Channel: "partner_tip", ReceivedAt: now.Add(-30 * time.Hour), District: "IN-BR-SITAMARHI", Concern: "child_marriage", CallerAnonymous: true,
			Summary: "DEMO (synthetic): a girl of about 14 to be married to a man from another state"},
	}
	for _, s := range signals {
		if err := svc.CreateSignal(supervisor, s); err != nil {
			return fmt.Errorf("demo signal: %w", err)
		}
	}
	m := &atip.MissingReport{ReportedAt: now.Add(-50 * time.Hour), LastSeenAt: now.Add(-74 * time.Hour), LastSeenIn: "IN-BR-SITAMARHI",
		LastSeenPlace: "DEMO (synthetic) bus stand", PoliceRef: "GD SYN-0042/2026", Relation: "mother", Reporter: "Demo Synthetic Mother",
		ReporterTel: "+919990000104", Missing: atip.StoppedPerson{Names: []string{"Demo Synthetic Daughter"}, Sex: "female", AgeYears: 16, Nationality: "IN"},
		Description: "DEMO (synthetic): red school bag", Circumstance: "DEMO (synthetic): left for a job interview in Patna and did not return.",
		Info: atip.RecordInfo{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}}
	if err := svc.CreateMissing(supervisor, m); err != nil {
		return fmt.Errorf("demo missing report: %w", err)
	}
	return nil
}
