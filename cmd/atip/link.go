package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"atip/internal/linkage"
)

const linkUsage = `Usage: atip link --left L.csv --right R.csv --out pairs.csv [--threshold P] [--explain] [--leads leads.csv]

Finds the records of L.csv and R.csv that are the same person — a girl
reported missing and later intercepted under another spelling, a woman
rescued twice — and writes one line per pair: left_id,right_id,score, where
score is the probability that the two records are the same person. Each
left and each right id appears at most once; only pairs scoring at least
the threshold are written.

Both inputs are UTF-8 CSV with a header naming any of these columns, in any
order (only id is required, and must be unique in its file):

  id,name,sex,age,recorded_on,guardian_name,village,district,state,country,phone

sex is F, M, X or empty; age is whole years; recorded_on is YYYY-MM-DD (the
day the record was made, which with the age gives a birth year); country is
an ISO 3166 two-letter code (IN, NP, BD, LK, …). Names may be written in
Latin, Devanagari, Bengali–Assamese, Gurmukhi, Odia or Sinhala script.

Options:
  --threshold P   report pairs with a match probability of at least P
                  (default %.2f, the best trade-off on the synthetic benchmark)
  --explain       add a column saying, for each field, how well it agreed
                  and how much that added to or took from the score
  --leads FILE    also write the values shared by so many different people
                  that they were ignored as evidence (a broker's phone, a
                  shelter's address): field,value,records,people

On bad input atip names the file, line and field, exits with status 1 and
leaves no output file behind.`

func init() {
	register(&command{
		name:    "link",
		summary: "find the same people in two files of person records",
		usage:   fmt.Sprintf(linkUsage, linkage.DefaultThreshold),
		run:     runLink,
	})
}

func runLink(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	left := fs.String("left", "", "")
	right := fs.String("right", "", "")
	out := fs.String("out", "", "")
	threshold := fs.Float64("threshold", linkage.DefaultThreshold, "")
	explain := fs.Bool("explain", false, "")
	leads := fs.String("leads", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError("%v", err)
	}
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected argument %q", fs.Arg(0))
	case *left == "" || *right == "" || *out == "":
		return usageError("--left, --right and --out are required")
	case !(*threshold > 0 && *threshold <= 1):
		return usageError("--threshold must be a probability above 0 and at most 1")
	}
	l, err := readRecords(*left)
	if err != nil {
		return err
	}
	r, err := readRecords(*right)
	if err != nil {
		return err
	}
	prog := newProgress(env.stderr, "link")
	res := linkage.Link(l, r, linkage.Options{Threshold: *threshold, Progress: prog.update})
	prog.done()

	err = writeCSVAtomically(env, *out, func(w *csv.Writer) error {
		header := []string{"left_id", "right_id", "score"}
		if *explain {
			header = append(header, "explanation")
		}
		if err := w.Write(header); err != nil {
			return err
		}
		for _, p := range res.Pairs {
			row := []string{l[p.Left].ID, r[p.Right].ID, formatScore(p.Score)}
			if *explain {
				row = append(row, p.Explanation.String())
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := writeLeads(env, *leads, res.Leads); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "atip link: %d pairs at or above %s among %d × %d records; %s\n",
		len(res.Pairs), formatScore(*threshold), len(l), len(r), statsLine(res))
	return nil
}

// formatScore writes a probability with enough digits to keep pairs
// apart and no more.
func formatScore(p float64) string { return strconv.FormatFloat(p, 'f', 6, 64) }

func statsLine(res *linkage.Result) string {
	s := res.Stats
	line := fmt.Sprintf("%d candidate pairs compared in %.1fs (%.2f million pairs/s), %.1fs in all",
		s.CandidatePairs, s.Score.Seconds(), s.PairsPerSecond()/1e6, s.Total.Seconds())
	if n := len(res.Leads); n > 0 {
		line += fmt.Sprintf("; %d values shared by many people were set aside as evidence (see --leads)", n)
	}
	return line
}

// readRecords reads one input file; errors name the file as given.
func readRecords(path string) ([]linkage.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return linkage.ReadCSV(bufio.NewReaderSize(f, 1<<20), path)
}

func writeLeads(env *cmdEnv, path string, leads []linkage.Lead) error {
	if path == "" {
		return nil
	}
	return writeCSVAtomically(env, path, func(w *csv.Writer) error {
		if err := w.Write([]string{"field", "value", "records", "people"}); err != nil {
			return err
		}
		for _, l := range leads {
			if err := w.Write([]string{l.Field, l.Value, strconv.Itoa(l.Records), strconv.Itoa(l.People)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// progress draws a one-line progress report on stderr, only when stderr is
// a terminal (a log file should not fill with carriage returns).
type progress struct {
	w     io.Writer
	name  string
	on    bool
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, name string) *progress {
	p := &progress{w: w, name: name}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(done, total int64) {
	if !p.on || total == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 200*time.Millisecond && done < total {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := min(float64(done)/float64(total), 1)
	n := int(frac * width)
	fmt.Fprintf(p.w, "\ratip %s: [%s%s] %3.0f%% of %d candidate pairs", p.name,
		strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, total)
	p.drawn = true
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
