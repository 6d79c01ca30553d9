package demo

import (
	"context"
	"fmt"
	"time"

	"atip"
	"atip/internal/database"
)

// TipDeskOrg is the demo organisation that receives public tips: the demo
// analyst's, so that the analyst's queue shows them.
const TipDeskOrg = "Demo Migration Agency Office Dhaka"

// demoTips are clearly synthetic posts: each starts with "DEMO", and they
// link through made-up Telegram channels, handles and payment ids (no
// phone number, real or not, appears), so that the queue and the network
// page have something to show.
var demoTips = []struct {
	platform, author, text string
	daysAgo                int
}{
	{"facebook", "@demo_synthetic_recruiter", "DEMO (synthetic) — Urgent! Girls only, age 18-25, hotel job in Dubai. Free visa and ticket, salary 80000, no experience needed. Join t.me/demo_synthetic_jobs", 6},
	{"telegram", "@demo_synthetic_recruiter", "DEMO (synthetic) — Girls only needed for spa work in Mumbai, free stay and food, immediate joining. Advance paid. Message t.me/demo_synthetic_jobs", 4},
	{"instagram", "@demo_synthetic_modelling", "DEMO (synthetic) — Modelling and film offer for young girls, no experience needed, pay registration fee 2000 to demo.synthetic@ybl", 3},
	{"facebook", "@demo_synthetic_bride", "DEMO (synthetic) — Marriage proposal, no dowry needed, poor family girl preferred, groom settled abroad. Send photo to demo.synthetic@ybl", 2},
	{"whatsapp", "", "DEMO (synthetic) — Urgent! Girls only, age 18-25, hotel job in Dubai. Free visa and ticket, salary 80000, no experience needed. Join today", 1},
	{"facebook", "@demo_synthetic_shop", "DEMO (synthetic) — Our shop in Siliguri is open on Sunday. Fresh vegetables and rice at fair prices.", 1},
	{"facebook", "@demo_synthetic_ngo", "DEMO (synthetic) — Beware of fake job offers abroad. If someone keeps your passport, call the helpline 1098 or police 112.", 0},
}

// SeedTips adds the synthetic tips to the tip desk organisation, unless it
// has tips already (seeding is idempotent). It acts as the operator.
func SeedTips(ctx context.Context, db *database.DB) error {
	op := atip.OperatorContext(ctx)
	orgs := database.NewOrgService(db)
	found, _, err := orgs.FindOrgs(op, atip.OrgFilter{Query: TipDeskOrg, Limit: 10})
	if err != nil {
		return err
	}
	var desk *atip.Org
	for _, o := range found {
		if o.Name == TipDeskOrg {
			desk = o
		}
	}
	if desk == nil {
		return fmt.Errorf("demo tips: organisation %q not found", TipDeskOrg)
	}
	ts, err := database.NewTipService(db, desk.ID)
	if err != nil {
		return err
	}
	have, _, err := ts.FindTips(op, atip.TipFilter{Limit: 500})
	if err != nil {
		return err
	}
	for _, t := range have {
		if t.OrgID == desk.ID {
			return nil
		}
	}
	now := db.Now()
	var batch []*atip.Tip
	for _, d := range demoTips {
		batch = append(batch, &atip.Tip{OrgID: desk.ID, Source: atip.TipImport, Platform: d.platform, Author: d.author,
			Text: d.text, PostedAt: now.Add(-time.Duration(d.daysAgo) * 24 * time.Hour)})
	}
	return ts.ImportTips(op, batch)
}
