package database_test

import (
	"context"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func TestCreateOrgValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		orgs := database.NewOrgService(db)
		op := atip.OperatorContext(context.Background())
		for _, tc := range []struct {
			name  string
			org   atip.Org
			field string
		}{
			{"no name", atip.Org{Name: "  ", Type: atip.OrgCWC, Jurisdiction: "IN-WB-KOLKATA"}, "name"},
			{"bad type", atip.Org{Name: "X", Type: "militia", Jurisdiction: "IN-WB-KOLKATA"}, "type"},
			{"no jurisdiction", atip.Org{Name: "X", Type: atip.OrgCWC}, "jurisdiction"},
			{"unknown jurisdiction", atip.Org{Name: "X", Type: atip.OrgCWC, Jurisdiction: "IN-XX-ATLANTIS"}, "jurisdiction"},
			{"long name", atip.Org{Name: strings.Repeat("न", 201), Type: atip.OrgCWC, Jurisdiction: "IN"}, "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := tc.org
				wantField(t, orgs.CreateOrg(op, &o), tc.field)
			})
		}
	})
}

func TestOrgPermissionsAndConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		newOrg := func() *atip.Org {
			return &atip.Org{Name: "Test CWC Kolkata", Type: atip.OrgCWC, Jurisdiction: "IN-WB-KOLKATA"}
		}

		wantCode(t, w.orgs.CreateOrg(context.Background(), newOrg()), atip.EUNAUTHORIZED)
		wantCode(t, w.orgs.CreateOrg(w.as("A", atip.RoleOrgAdmin), newOrg()), atip.EFORBIDDEN)
		created := newOrg()
		created.Jurisdiction = "in-wb-kolkata"
		if err := w.orgs.CreateOrg(w.as("A", atip.RolePlatformAdmin), created); err != nil {
			t.Fatal(err)
		}
		if created.Jurisdiction != "IN-WB-KOLKATA" {
			t.Errorf("jurisdiction stored as %q, want the gazetteer's code", created.Jurisdiction)
		}
		// The same name in another case and spacing is the same organisation.
		dup := newOrg()
		dup.Name = "  test   CWC KOLKATA "
		wantCode(t, w.orgs.CreateOrg(w.op, dup), atip.ECONFLICT)

		// An org admin renames their own organisation, but not another, and
		// may not change its type.
		name := "Test AHTU Sitamarhi District"
		got, err := w.orgs.UpdateOrg(w.as("A", atip.RoleOrgAdmin), w.orgA.ID, atip.OrgUpdate{Name: &name})
		if err != nil || got.Name != name {
			t.Fatalf("rename own org: %v %v", got, err)
		}
		_, err = w.orgs.UpdateOrg(w.as("A", atip.RoleOrgAdmin), w.orgB.ID, atip.OrgUpdate{Name: &name})
		wantCode(t, err, atip.EFORBIDDEN)
		typ := atip.OrgPolice
		_, err = w.orgs.UpdateOrg(w.as("A", atip.RoleOrgAdmin), w.orgA.ID, atip.OrgUpdate{Type: &typ})
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = w.orgs.UpdateOrg(w.op, atip.NewID(), atip.OrgUpdate{Name: &name})
		wantCode(t, err, atip.ENOTFOUND)

		// Every change is in the audit trail, attributed to its actor.
		entries, _, err := database.NewAuditService(db).FindAuditEntries(w.op, atip.AuditFilter{Action: "org.update"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].ActorID != w.u["A"][atip.RoleOrgAdmin].ID || entries[0].RecordID != w.orgA.ID ||
			entries[0].Detail != "changed name" || entries[0].Via != atip.ViaWeb || entries[0].RemoteAddr != "192.0.2.1" {
			t.Fatalf("org.update entries: %+v", entries)
		}
		got, err = w.orgs.FindOrgByID(w.as("B", atip.RoleCaseworker), w.orgA.ID)
		if err != nil || got.Name != name || got.UpdatedBy != w.u["A"][atip.RoleOrgAdmin].ID {
			t.Fatalf("find org: %+v %v", got, err)
		}
	})
}

func TestFindOrgsPagesAndSearches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		orgs := database.NewOrgService(db)
		op := atip.OperatorContext(context.Background())
		names := []string{"Demo Shelter Siliguri", "Demo CWC Kolkata", "ÉCOLE Sûre", "बाल कल्याण समिति पटना", "Demo AHTU Sitamarhi"}
		for _, n := range names {
			if err := orgs.CreateOrg(op, &atip.Org{Name: n, Type: atip.OrgShelterNGO, Jurisdiction: "IN"}); err != nil {
				t.Fatal(err)
			}
		}
		var all []string
		after := ""
		for pages := 0; ; pages++ {
			page, next, err := orgs.FindOrgs(op, atip.OrgFilter{After: after, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page {
				all = append(all, o.Name)
			}
			if next == "" {
				break
			}
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			after = next
		}
		if len(all) != len(names) {
			t.Fatalf("paged through %d orgs, want %d: %v", len(all), len(names), all)
		}
		for i := range names {
			if all[i] != names[i] {
				t.Fatalf("order %v, want creation order %v (ids are UUIDv7)", all, names)
			}
		}
		for _, tc := range []struct {
			q    string
			want int
		}{{"demo", 3}, {"DEMO cwc", 1}, {"école", 1}, {"समिति", 1}, {"%", 0}, {"_", 0}} {
			got, _, err := orgs.FindOrgs(op, atip.OrgFilter{Query: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("query %q: %d orgs, want %d", tc.q, len(got), tc.want)
			}
		}
	})
}
