package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runArgs runs `atip ARGS` in-process with the given environment.
func runArgs(ctx context.Context, env map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	e := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
	code = runMain(ctx, e, args)
	return code, out.String(), errb.String()
}

// Every flag serve takes is documented in `atip help serve`, with its
// environment variable.
func TestHelpServeDocumentsEveryFlag(t *testing.T) {
	code, help, _ := runArgs(context.Background(), nil, "help", "serve")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if _, err := addServeFlags(fs, &cmdEnv{getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
	addDBFlags(fs, &cmdEnv{getenv: func(string) string { return "" }})
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		if !strings.Contains(help, "--"+f.Name+" ") && !strings.Contains(help, "--"+f.Name+"\n") {
			t.Errorf("help does not document --%s", f.Name)
		}
		env := regexp.MustCompile(`env (ATIP_[A-Z_]+)`).FindStringSubmatch(f.Usage)
		if env == nil {
			t.Errorf("--%s names no environment variable", f.Name)
		} else if !strings.Contains(help, env[1]) {
			t.Errorf("help does not document %s", env[1])
		}
	})
	if n < 10 {
		t.Errorf("only %d flags", n)
	}
}

func TestServeRefusesBadSettings(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad duration", map[string]string{"ATIP_SESSION_IDLE": "soon"}, nil, "ATIP_SESSION_IDLE"},
		{"bad bool", map[string]string{"ATIP_TRUST_PROXY": "perhaps"}, nil, "ATIP_TRUST_PROXY"},
		{"bad body limit", map[string]string{"ATIP_MAX_BODY": "-1"}, nil, "ATIP_MAX_BODY"},
		{"bad log format", nil, []string{"--log-format", "xml"}, "--log-format"},
		{"bad log level", nil, []string{"--log-level", "loud"}, "--log-level"},
		{"half TLS", nil, []string{"--tls-cert", "c.pem"}, "--tls-key"},
		{"argument", nil, []string{"now"}, "no arguments"},
		{"unknown flag", nil, []string{"--port", "80"}, "port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runArgs(context.Background(), tt.env, append([]string{"serve"}, tt.args...)...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %s", code, stderr, tt.want)
			}
		})
	}
}

// serve starts on the address and database it is given through the
// environment, answers, and stops cleanly when its context ends (as on
// SIGTERM).
func TestServeStartsAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	// A free port: serve prints its address but the test needs it first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	env := map[string]string{
		"ATIP_ADDR": addr, "ATIP_DB": filepath.Join(dir, "atip.db"),
		"ATIP_LOG_FORMAT": "json",
	}
	done := make(chan struct{})
	var code int
	var stderr string
	go func() {
		defer close(done)
		code, _, stderr = runArgs(ctx, env, "serve")
	}()
	var resp *http.Response
	for range 100 {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		cancel()
		<-done
		t.Fatalf("server did not answer: %v\n%s", err, stderr)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	if resp, err := http.Get("http://" + addr + "/orgs?q=secret-name"); err == nil {
		resp.Body.Close()
	}
	cancel()
	<-done
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	// Request logs are JSON lines with the route pattern, never the query.
	if !strings.Contains(stderr, `"pattern":"GET /orgs"`) || strings.Contains(stderr, "secret-name") {
		t.Errorf("request log:\n%s", stderr)
	}
	if !strings.Contains(stderr, "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", stderr)
	}
}
