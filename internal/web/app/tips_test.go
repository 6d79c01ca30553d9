package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
)

// The tip desk is named by id or exact name; an unknown one stops the
// start, so that public tips never go nowhere.
func TestTipDesk(t *testing.T) {
	for _, tc := range []struct {
		name, desk string
		starts     bool
		accepting  bool
	}{
		{"none", "", true, false},
		{"by name", "Desk Org (test)", true, true},
		{"unknown", "No Such Org", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			m := New(Config{Addr: "127.0.0.1:0", DBURL: filepath.Join(dir, "atip.db"), TipDeskOrg: tc.desk,
				DBOptions: []database.Option{database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))},
				Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
				Seed: func(ctx context.Context, db *database.DB) error {
					return database.NewOrgService(db).CreateOrg(ctx, &atip.Org{Name: "Desk Org (test)", Type: atip.OrgPolice, Jurisdiction: "IN"})
				}})
			err := m.Run(context.Background())
			if err != nil {
				if tc.starts {
					t.Fatal(err)
				}
				return
			}
			defer m.Close()
			if !tc.starts {
				t.Fatal("started with an unknown tip desk")
			}
			resp, err := http.Get(m.URL() + "/report")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if got := strings.Contains(string(b), `name="text"`); got != tc.accepting {
				t.Errorf("report form shown: %v, want %v", got, tc.accepting)
			}
		})
	}
}
