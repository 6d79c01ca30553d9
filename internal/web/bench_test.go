package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"atip"
	"atip/internal/database"
)

// BenchmarkSignedInPages measures whole requests through the middleware
// (session lookup, policy, rendering) on a real SQLite database, from
// parallel clients over loopback:
//
//	go test ./internal/web -run '^$' -bench SignedInPages -benchtime 3s
func BenchmarkSignedInPages(b *testing.B) {
	e := newEnv(b, database.SQLite)
	ctx := atip.OperatorContext(context.Background())
	for i := range 200 {
		if err := e.orgs.CreateOrg(ctx, &atip.Org{Name: fmt.Sprintf("Bench unit %03d", i), Type: atip.OrgBorderUnit, Jurisdiction: "IN-BR"}); err != nil {
			b.Fatal(err)
		}
	}
	cookie := e.signedIn("padmin").cookie("atip_session")
	auditor := e.signedIn("auditor").cookie("atip_session")
	for _, page := range []struct{ path, cookie string }{
		{"/", cookie}, {"/orgs", cookie}, {"/orgs?q=unit+01", cookie}, {"/users", cookie}, {"/audit", auditor},
	} {
		b.Run(page.path, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", e.ts.URL+page.path, nil)
					req.AddCookie(&http.Cookie{Name: "atip_session", Value: page.cookie})
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Errorf("%s: status %d", page.path, resp.StatusCode)
						return
					}
				}
			})
		})
	}
}
