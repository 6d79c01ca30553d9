package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/tips"
)

// runTipsFeedback exports the analysts' stored judgements for `tips fit`.
func runTipsFeedback(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("tips feedback", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "output file (JSON lines)")
	org := fs.String("org", "", "only this organisation's tips (id or exact name)")
	db := addDBFlags(fs, env)
	if err := fs.Parse(args); err != nil {
		return usageError("%v", err)
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usageError("--out is required")
	}
	d, err := db.open(ctx, env)
	if err != nil {
		return err
	}
	defer d.Close()
	op := atip.OperatorContext(ctx)
	orgID := ""
	if *org != "" {
		o, err := resolveOrg(op, database.NewOrgService(d), *org)
		if err != nil {
			return err
		}
		orgID = o.ID
	}
	ts, err := database.NewTipService(d, "")
	if err != nil {
		return err
	}
	n := 0
	err = writeFileAtomicallyMode(env, *out, 0o600, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		return ts.ExportTipFeedback(op, orgID, func(f tips.Feedback) error {
			n++
			return enc.Encode(struct {
				TipID    string `json:"tip_id"`
				Text     string `json:"text"`
				Relevant bool   `json:"relevant"`
				Analyst  string `json:"analyst"`
				At       string `json:"at"`
			}{f.TipID, f.Text, f.Relevant, f.Analyst, f.At.UTC().Format(time.RFC3339)})
		})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "atip tips feedback: %d judgement(s) written to %s\n", n, *out)
	return nil
}
