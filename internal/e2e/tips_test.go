package e2e

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atip/internal/database"
	"atip/internal/demo"
	"atip/internal/password"
	"atip/internal/web/app"
)

// The same advertisement template as a synthetic demo post, with a phone
// number added: the network links it to the demo posts as a near-duplicate.
const publicTip = "Urgent! Girls only, age 18-25, hotel job in Dubai. Free visa and ticket, salary 80000, no experience needed. Join today, call 98301 23456"

// A member of the public reports a recruitment post; the demo analyst
// finds it in the queue with its score, opens it with the indicators
// highlighted, and opens its network graph.
func TestPublicTipToAnalystNetwork(t *testing.T) {
	dir := t.TempDir()
	m := app.New(app.Config{
		Addr:       "127.0.0.1:0",
		DBURL:      filepath.Join(dir, "atip.db"),
		DBOptions:  []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))},
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		TipDeskOrg: demo.TipDeskOrg,
		Seed: func(ctx context.Context, db *database.DB) error {
			if _, err := demo.Seed(ctx, db); err != nil {
				return err
			}
			return demo.SeedTips(ctx, db)
		},
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := m.URL()
	ctx := browser(t)

	// 1. The public page, without signing in.
	run(t, ctx, "public report",
		chromedp.EmulateViewport(phoneWidth, phoneHeight),
		chromedp.Navigate(base+"/report"),
		chromedp.WaitVisible(chromedp.CSS("#text")),
		chromedp.SendKeys(chromedp.CSS("#text"), publicTip),
		chromedp.SendKeys(chromedp.CSS("#platform"), "WhatsApp"),
	)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("report page is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "report-phone")
	// A person takes longer than the form's minimum fill time.
	time.Sleep(3200 * time.Millisecond)
	run(t, ctx, "send report",
		chromedp.Click(chromedp.CSS(`#report-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#tip-ref")),
	)
	ref := text(t, ctx, "#tip-ref")
	if !strings.HasPrefix(ref, "TIP-") {
		t.Fatalf("reference %q", ref)
	}
	if body := text(t, ctx, "main"); strings.Contains(body, "Dubai") {
		t.Error("the thank-you page shows the report's text")
	}

	// 2. The demo analyst's queue shows it with its score.
	signIn(t, ctx, base, "demo.analyst", "synthetic-analyst-2026")
	run(t, ctx, "queue", chromedp.WaitVisible(chromedp.CSS(`nav a[href="/tips"]`)), chromedp.Navigate(base+"/tips"), chromedp.WaitVisible(chromedp.CSS("#tip-queue")))
	row := eval[string](t, ctx, `[...document.querySelectorAll("#tip-queue tbody tr")].map(r => r.innerText).find(s => s.includes("`+ref+`")) || ""`)
	if row == "" {
		t.Fatalf("tip %s not in the queue", ref)
	}
	score := eval[string](t, ctx, `[...document.querySelectorAll("#tip-queue tbody tr")].find(r => r.innerText.includes("`+ref+`")).querySelector(".score").textContent`)
	if s, err := strconv.ParseFloat(score, 64); err != nil || s < 0.5 {
		t.Errorf("queue score %q, want at least 0.5", score)
	}
	screenshot(t, ctx, "queue-phone")
	href := eval[string](t, ctx, `[...document.querySelectorAll("#tip-queue a")].find(a => a.textContent === "`+ref+`").getAttribute("href")`)

	// 3. The tip page: the indicators are highlighted in the text.
	run(t, ctx, "tip page", chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS("#tip-text")))
	marks := eval[[]string](t, ctx, `[...document.querySelectorAll("#tip-text mark")].map(m => m.textContent)`)
	if len(marks) < 3 || !containsFold(marks, "Girls only") || !containsFold(marks, "Free visa") {
		t.Errorf("highlighted indicators %q", marks)
	}
	if sel := text(t, ctx, "#tip-selectors"); !strings.Contains(sel, "+919830123456") {
		t.Errorf("selectors %q lack the phone", sel)
	}
	// The phone is highlighted in the text too, as a link to its network,
	// and the legend names both kinds of highlight.
	phone := eval[string](t, ctx, `(document.querySelector('#tip-text a.sel[data-selector="phone:+919830123456"]') || {}).textContent || ""`)
	if phone != "98301 23456" {
		t.Errorf("highlighted phone %q, want the number as written", phone)
	}
	if legend := text(t, ctx, "#tip-legend"); !strings.Contains(legend, "indicator") || !strings.Contains(legend, "Phone") {
		t.Errorf("legend %q", legend)
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("tip page is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "tip-phone")

	// 4. The network graph: the script draws it and says how many nodes.
	run(t, ctx, "network page",
		chromedp.Click(chromedp.CSS("#open-network")),
		chromedp.WaitVisible(chromedp.CSS(`#tip-graph[data-ready="true"]`)),
	)
	nodes, _ := strconv.Atoi(eval[string](t, ctx, `document.getElementById("tip-graph").getAttribute("data-nodes")`))
	if nodes < 2 {
		t.Errorf("graph has %d nodes, want the tip and its near-duplicates", nodes)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#tip-graph canvas").length`); n == 0 {
		t.Error("the graph drew no canvas")
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("network page is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "tip-network-phone")

	// 5. Back on the tip page, the highlighted phone opens the network of
	// every tip that carries it.
	run(t, ctx, "selector network",
		chromedp.Navigate(base+href),
		chromedp.WaitVisible(chromedp.CSS("#tip-text a.sel")),
		chromedp.Click(chromedp.CSS(`#tip-text a.sel[data-selector="phone:+919830123456"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#selector-network`)),
		chromedp.WaitVisible(chromedp.CSS(`#tip-graph[data-ready="true"]`)),
	)
	if members := text(t, ctx, "#network-members"); !strings.Contains(members, ref) {
		t.Errorf("the phone's network does not list %s: %q", ref, members)
	}
	screenshot(t, ctx, "selector-network-phone")
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
