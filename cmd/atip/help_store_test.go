package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Every store command explains itself, and names the flags and environment
// variables that choose the database.
func TestStoreCommandsHaveHelp(t *testing.T) {
	for _, tc := range []struct {
		cmd   string
		words []string
	}{
		{"migrate", []string{"status", "--db", "ATIP_DB", "--audit-key", "ATIP_AUDIT_KEY_FILE"}},
		{"org", []string{"create", "list", "--name", "--type", "--jurisdiction", "--query", "--db"}},
		{"user", []string{"create", "reset-password", "reset-totp", "disable", "enable", "list", "--org", "--login",
			"--name", "--role", "--lang", "--password-stdin", "--query", "--db"}},
		{"audit", []string{"verify", "export", "checkpoint", "--checkpoint", "--format", "--out", "--action", "--actor",
			"--actor-org", "--record-type", "--record-id", "--since", "--until", "--db", "--audit-key"}},
		{"backup", []string{"--out", "pg_restore", "--db", "audit signing key"}},
	} {
		var out, errb bytes.Buffer
		env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		if code := runMain(context.Background(), env, []string{"help", tc.cmd}); code != 0 {
			t.Fatalf("help %s: exit %d %s", tc.cmd, code, errb.String())
		}
		for _, w := range tc.words {
			if !strings.Contains(out.String(), w) {
				t.Errorf("help %s does not mention %s", tc.cmd, w)
			}
		}
	}
}
