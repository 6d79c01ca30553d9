package main

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// atip demo starts on synthetic data, prints logins that work, and ignores
// ATIP_DB so that a real database is never seeded with demo accounts.
func TestDemoServesSeededDataAndPrintsLogins(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := map[string]string{"ATIP_ADDR": addr, "ATIP_DB": "postgres://must-not-be-used.invalid/x", "ATIP_LOG_LEVEL": "warn"}
	done := make(chan struct{})
	var code int
	var stdout, stderr string
	go func() {
		defer close(done)
		code, stdout, stderr = runArgs(ctx, env, "demo")
	}()
	base := "http://" + addr
	var ready bool
	for range 300 {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			ready = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !ready {
		cancel()
		<-done
		t.Fatalf("demo did not start: exit %d\n%s", code, stderr)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/login", url.Values{"login": {"demo.admin"}, "password": {"synthetic-admin-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("demo admin sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cancel()
	<-done
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"ATIP demo running at http://", "demo.admin", "synthetic-admin-2026", "demo.auditor", "two-factor"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}
