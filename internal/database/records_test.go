package database_test

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/policy"
)

// The one storage path of shareable records: the owner reads the whole
// record back; another organisation on the platform sees the redacted view
// of a platform-wide GREEN record and nothing of an owner-only one (not
// found, not forbidden); and the database file holds the victim's name only
// sealed.
func TestRecordStoragePath(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		const name = "Zebunnisa Qwertyuiop"
		put := func(dist atip.Distribution, tlp atip.TLP) *atip.Person {
			p := &atip.Person{ID: atip.NewID(), Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female",
				Names: []atip.PersonName{{Full: name, Script: "Latn", Kind: "name"}}, AgeYears: 15,
				HomeDistrict: "NP-P3-SINDHUPALCHOK", HomeVillage: "Thangpalkot"}
			m := &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordPerson, ID: p.ID}, OwnerOrgID: w.orgA.ID,
				Distribution: dist, TLP: tlp, Child: true}
			if err := database.PutRecord(w.as("A", atip.RoleCaseworker), db, m, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		shared := put(atip.DistPlatform, atip.TLPGreen)
		private := put(atip.DistOwner, atip.TLPAmber)

		var got atip.Person
		view, err := database.ReadRecord(w.as("A", atip.RoleCaseworker), db, shared.ID, &got)
		if err != nil {
			t.Fatal(err)
		}
		if view.Level != policy.LevelFull || len(got.Names) != 1 || got.Names[0].Full != name || got.HomeVillage != "Thangpalkot" {
			t.Fatalf("owner's caseworker: level %v, person %+v", view.Level, got)
		}

		got = atip.Person{}
		view, err = database.ReadRecord(w.as("B", atip.RoleCaseworker), db, shared.ID, &got)
		if err != nil {
			t.Fatal(err)
		}
		if view.Level != policy.LevelRedacted || len(got.Names) != 0 || got.HomeVillage != "" ||
			got.HomeDistrict != "NP-P3-SINDHUPALCHOK" || got.Sex != "female" {
			t.Fatalf("platform member: level %v, person %+v", view.Level, got)
		}

		_, err = database.ReadRecord(w.as("B", atip.RoleCaseworker), db, private.ID, &got)
		wantCode(t, err, atip.ENOTFOUND)

		// An accepted referral makes the owner-only record visible to B, but
		// without the child's guardian's consent on record it carries no
		// protected class: B sees the redacted view.
		now := db.Now()
		ref := &atip.Referral{Kind: atip.KindReferral, Record: atip.RecordRef{Type: atip.RecordPerson, ID: private.ID},
			FromOrgID: w.orgA.ID, ToOrgID: w.orgB.ID, Classes: []atip.FieldClass{atip.ClassIdentity},
			Purpose: atip.PurposeCare, GrantedBy: w.u["A"][atip.RoleCaseworker].ID, ExpiresAt: now.Add(time.Hour), AcceptedAt: now}
		if err := database.InsertReferral(w.as("A", atip.RoleCaseworker), db, ref); err != nil {
			t.Fatal(err)
		}
		got = atip.Person{}
		view, err = database.ReadRecord(w.as("B", atip.RoleCaseworker), db, private.ID, &got)
		if err != nil {
			t.Fatal(err)
		}
		if view.Level != policy.LevelRedacted || view.Relation != policy.RelReferral || len(got.Names) != 0 {
			t.Fatalf("referral holder: level %v, person %+v", view.Level, got)
		}

		if db.Engine() == database.SQLite {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			dumpHasNo(t, db.Target().Path, name, "Zebunnisa", "Thangpalkot")
		}
	})
}

func dumpHasNo(t *testing.T, path string, words ...string) {
	t.Helper()
	for _, f := range []string{path, path + "-wal"} {
		b, err := readFileIfExists(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if bytes.Contains(b, []byte(w)) {
				t.Errorf("%s holds %q in clear", f, w)
			}
		}
	}
}

func readFileIfExists(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}
