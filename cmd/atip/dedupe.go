package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"

	"atip/internal/linkage"
)

const dedupeUsage = `Usage: atip dedupe --in P.csv --out clusters.csv [--threshold P] [--pairs pairs.csv] [--leads leads.csv]

Groups the records of P.csv that are the same person and writes
id,cluster_id for every input row, in input order. Records of one person
share a cluster_id: the id of the first of them in the file. A record with
no duplicate is its own cluster.

The input is UTF-8 CSV with the columns described in "atip help link"; only
id is required, and must be unique.

Options:
  --threshold P   join records whose match probability is at least P
                  (default %.2f)
  --pairs FILE    also write the pairs that joined records, with their
                  scores and explanations: id,other_id,score,explanation
  --leads FILE    also write the values shared by so many different people
                  that they were ignored as evidence: field,value,records,people

On bad input atip names the file, line and field, exits with status 1 and
leaves no output file behind.`

func init() {
	register(&command{
		name:    "dedupe",
		summary: "group the records of one file that are the same person",
		usage:   fmt.Sprintf(dedupeUsage, linkage.DefaultThreshold),
		run:     runDedupe,
	})
}

func runDedupe(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("dedupe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	in := fs.String("in", "", "")
	out := fs.String("out", "", "")
	threshold := fs.Float64("threshold", linkage.DefaultThreshold, "")
	pairs := fs.String("pairs", "", "")
	leads := fs.String("leads", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError("%v", err)
	}
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected argument %q", fs.Arg(0))
	case *in == "" || *out == "":
		return usageError("--in and --out are required")
	case !(*threshold > 0 && *threshold <= 1):
		return usageError("--threshold must be a probability above 0 and at most 1")
	}
	recs, err := readRecords(*in)
	if err != nil {
		return err
	}
	prog := newProgress(env.stderr, "dedupe")
	res := linkage.Dedupe(recs, linkage.Options{Threshold: *threshold, Progress: prog.update})
	prog.done()
	err = writeCSVAtomically(env, *out, func(w *csv.Writer) error {
		if err := w.Write([]string{"id", "cluster_id"}); err != nil {
			return err
		}
		for i, r := range recs {
			if err := w.Write([]string{r.ID, recs[res.Cluster[i]].ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *pairs != "" {
		err = writeCSVAtomically(env, *pairs, func(w *csv.Writer) error {
			if err := w.Write([]string{"id", "other_id", "score", "explanation"}); err != nil {
				return err
			}
			for _, p := range res.Pairs {
				if err := w.Write([]string{recs[p.Left].ID, recs[p.Right].ID, formatScore(p.Score), p.Explanation.String()}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := writeLeads(env, *leads, res.Leads); err != nil {
		return err
	}
	clusters := 0
	for i, c := range res.Cluster {
		if c == i {
			clusters++
		}
	}
	fmt.Fprintf(env.stderr, "atip dedupe: %d records in %d clusters; %s\n", len(recs), clusters, statsLine(res))
	return nil
}
