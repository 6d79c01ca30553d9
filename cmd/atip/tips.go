package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"atip/internal/networks"
	"atip/internal/selectors"
	"atip/internal/tips"
)

const tipsUsage = `Usage:
  atip tips score    --in posts.jsonl  --out scored.jsonl [--skip-invalid]
  atip tips networks --in scored.jsonl --out networks.csv [--skip-invalid] [--max-share N] [--no-near-dup] [--exclude list.json]
  atip tips fit      --in feedback.jsonl --out model.json
  atip tips feedback --out feedback.jsonl [--org ORG] [--db URL]

score reads one JSON object per line, {"id","platform","text","url","author",
"posted_at"} (only id and text are required), and writes each line back with
"score" (0–1; 0.5 and above needs an analyst's look), "indicators"
[{"id","label","category","start","end"}] (byte offsets into text),
"selectors" [{"type","value","normalized","start","end"}] and
"score_version" added.

networks reads scored lines (selectors are extracted again where a line has
none) and writes the CSV "id,network_id" with one row per input line: lines
that share a phone, handle, payment id or link, or whose texts are
near-duplicates, get the same network_id. Helpline and police numbers never
link (add your own with --exclude, a JSON file shaped like
internal/networks/exclusions.json); a selector shared by more than
--max-share lines (default 1000) is treated as generic, and how many were
is reported on stderr.

fit reads analysts' feedback, {"text", "relevant": true|false} (or "label":
1|0) per line, and writes the model fitted from the experts' prior
(deterministic: the same feedback gives the same model). The shipped model is
  atip tips fit --in internal/tips/testdata/corpus.jsonl --out internal/tips/lexicon/model.json

feedback writes the judgements analysts recorded in the app ("relevant" /
"not relevant" on a tip) as JSON lines {"tip_id","text","relevant","analyst",
"at"}, oldest first in a fixed order, for all organisations or the one named
by --org (an id or exact name). Refitting the weights from the stored
feedback is then reproducible:
  atip tips feedback --out feedback.jsonl && atip tips fit --in feedback.jsonl --out model.json
The file holds the tips' texts, which may hold personal data: it is written
readable by its owner only, and the export is recorded in the audit trail.

A malformed line stops the command with an error naming the line, unless
--skip-invalid is given: then it is skipped and counted on stderr. Output is
written to a temporary file and renamed into place, so a failed run leaves
no partial output. "-" means standard input or output.`

func init() {
	register(&command{
		name:    "tips",
		summary: "score online posts for trafficking indicators and group them into networks",
		usage:   tipsUsage,
		run:     runTips,
	})
}

func runTips(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return usageError("missing subcommand: score, networks, fit or feedback")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("tips "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	in := fs.String("in", "", "input file")
	out := fs.String("out", "", "output file")
	skip := fs.Bool("skip-invalid", false, "skip malformed lines")
	maxShare := fs.Int("max-share", 0, "networks: a selector on more lines than this is generic")
	noNear := fs.Bool("no-near-dup", false, "networks: do not group near-duplicate texts")
	exclude := fs.String("exclude", "", "networks: a JSON exclusion list added to the embedded one")
	switch sub {
	case "score", "networks", "fit":
	case "feedback":
		return runTipsFeedback(ctx, env, args)
	case "-h", "--help", "help":
		fmt.Fprintln(env.stdout, tipsUsage)
		return nil
	default:
		return usageError("unknown subcommand %q: want score, networks, fit or feedback", sub)
	}
	if err := fs.Parse(args); err != nil {
		return usageError("%v", err)
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *in == "" || *out == "" {
		return usageError("--in and --out are required")
	}
	opt := networks.Options{MaxShare: *maxShare, NoNearDup: *noNear}
	if *exclude != "" {
		data, err := os.ReadFile(*exclude)
		if err != nil {
			return err
		}
		local, err := networks.ParseExclusions(data)
		if err != nil {
			return fmt.Errorf("%s: %w", *exclude, err)
		}
		def, err := networks.DefaultExclusions()
		if err != nil {
			return err
		}
		opt.Exclude = def.With(local)
	}
	r, closeIn, err := openIn(env, *in)
	if err != nil {
		return err
	}
	defer closeIn()
	var skipped int
	err = writeFileAtomically(env, *out, func(w io.Writer) error {
		var err error
		switch sub {
		case "score":
			_, skipped, err = scoreStream(ctx, r, w, *skip, env.stderr)
		case "networks":
			_, skipped, err = networksStream(ctx, r, w, *skip, env.stderr, opt)
		case "fit":
			_, skipped, err = fitStream(r, w, *skip, env.stderr)
		}
		return err
	})
	if err != nil {
		return err
	}
	if skipped > 0 {
		fmt.Fprintf(env.stderr, "atip tips %s: skipped %d invalid line(s)\n", sub, skipped)
	}
	return nil
}

func openIn(env *cmdEnv, path string) (io.Reader, func(), error) {
	if path == "-" {
		return env.stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// maxLine bounds one input line; a post is a few kilobytes.
const maxLine = 4 << 20

// lineError is a malformed input line.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// batch is a run of consecutive input lines processed by one worker.
type batch struct {
	first int // line number of lines[0]
	lines [][]byte
	out   []byte       // score: the output lines
	errs  []*lineError // malformed lines, in order
	recs  []postRecord // networks: decoded records
	done  chan struct{}
}

// readBatches splits r into batches of lines and hands them to work in
// parallel, then to emit in input order. It stops at the first error.
func readBatches(ctx context.Context, r io.Reader, work func(*batch), emit func(*batch) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	workers := runtime.GOMAXPROCS(0)
	todo := make(chan *batch, workers*2)
	ordered := make(chan *batch, workers*4)
	for w := 0; w < workers; w++ {
		go func() {
			for b := range todo {
				work(b)
				close(b.done)
			}
		}()
	}
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(ordered)
		defer close(todo)
		line := 0
		for {
			b := &batch{first: line + 1, done: make(chan struct{})}
			size := 0
			var err error
			// The lines of a batch share one buffer: one allocation per
			// batch, not per line.
			arena := make([]byte, 0, 1<<20+64<<10)
			for len(b.lines) < 512 && size < 1<<20 {
				var l []byte
				arena, l, err = readLineInto(br, arena)
				if len(l) > 0 || err == nil {
					line++
					b.lines = append(b.lines, l)
					size += len(l)
				}
				if err != nil {
					break
				}
			}
			if len(b.lines) > 0 {
				select {
				case todo <- b:
				case <-stop:
					return
				}
				select {
				case ordered <- b:
				case <-stop:
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					if errors.Is(err, errLongLine) {
						err = &lineError{line: line + 1, msg: fmt.Sprintf("longer than %d bytes", maxLine)}
					}
					readErr <- err
				}
				return
			}
		}
	}()
	var err error
	for b := range ordered {
		<-b.done
		if err == nil {
			if err = ctx.Err(); err == nil {
				err = emit(b)
			}
			if err != nil {
				close(stop)
			}
		}
	}
	if err != nil {
		return err
	}
	select {
	case err := <-readErr:
		return err
	default:
	}
	return nil
}

var errLongLine = errors.New("line too long")

// readLineInto appends the next line to arena and returns it as a slice of
// arena (which may have moved; earlier slices stay valid).
func readLineInto(br *bufio.Reader, arena []byte) ([]byte, []byte, error) {
	start := len(arena)
	for {
		part, err := br.ReadSlice('\n')
		arena = append(arena, part...)
		if len(arena)-start > maxLine {
			return arena[:start], nil, errLongLine
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return arena, arena[start:len(arena):len(arena)], err
	}
}

func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		part, err := br.ReadSlice('\n')
		buf = append(buf, part...)
		if len(buf) > maxLine {
			return nil, errLongLine
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return buf, err
		}
		return buf, nil
	}
}

// postIn is what score and networks read from a line.
type postIn struct {
	ID         json.RawMessage  `json:"id"`
	Text       *string          `json:"text"`
	Score      json.RawMessage  `json:"score"`
	Indicators json.RawMessage  `json:"indicators"`
	Selectors  *[]selectorInput `json:"selectors"`
	Version    json.RawMessage  `json:"score_version"`
}

type selectorInput struct {
	Type       string `json:"type"`
	Normalized string `json:"normalized"`
}

// cleanLine trims white space and a byte-order mark (spreadsheet exports
// start files with one).
func cleanLine(line []byte) []byte {
	return bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(line), []byte("\ufeff")))
}

// decodePost parses and checks one line; blank lines give ok=false and no error.
func decodePost(line []byte, n int) (p postIn, id string, ok bool, err *lineError) {
	line = cleanLine(line)
	if len(line) == 0 {
		return p, "", false, nil
	}
	if line[0] != '{' {
		return p, "", false, &lineError{n, "not a JSON object"}
	}
	if e := json.Unmarshal(line, &p); e != nil {
		var te *json.UnmarshalTypeError
		if errors.As(e, &te) {
			return p, "", false, &lineError{n, fmt.Sprintf("field %q has the wrong type (%s)", te.Field, te.Value)}
		}
		return p, "", false, &lineError{n, "invalid JSON: " + strings.TrimPrefix(e.Error(), "json: ")}
	}
	id, idErr := idString(p.ID)
	if idErr != "" {
		return p, "", false, &lineError{n, idErr}
	}
	if p.Text == nil {
		return p, "", false, &lineError{n, `missing "text"`}
	}
	return p, id, true, nil
}

func idString(raw json.RawMessage) (string, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", `missing "id"`
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || strings.TrimSpace(s) == "" {
			return "", `"id" is empty`
		}
		return s, ""
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), ""
	}
	return "", `"id" must be a string or a number`
}

func scoreStream(ctx context.Context, r io.Reader, w io.Writer, skip bool, stderr io.Writer) (int, int, error) {
	scorer, err := tips.Default()
	if err != nil {
		return 0, 0, err
	}
	n, skipped := 0, 0
	work := func(b *batch) {
		size := 0
		for _, l := range b.lines {
			size += len(l)
		}
		buf := make([]byte, 0, 2*size+512*len(b.lines))
		for k, line := range b.lines {
			ln := b.first + k
			p, _, ok, lerr := decodePost(line, ln)
			if lerr != nil {
				b.errs = append(b.errs, lerr)
				continue
			}
			if !ok {
				continue
			}
			res := scorer.Score(*p.Text)
			sels := selectors.Extract(*p.Text)
			buf = appendScored(buf, cleanLine(line), p, res, sels)
		}
		b.out = buf
	}
	emit := func(b *batch) error {
		if len(b.errs) > 0 {
			if !skip {
				return b.errs[0]
			}
			for _, e := range b.errs {
				skipped++
				if skipped <= 20 {
					fmt.Fprintf(stderr, "atip tips score: skipping %v\n", e)
				}
			}
		}
		n += len(b.lines) - len(b.errs)
		_, err := w.Write(b.out)
		return err
	}
	err = readBatches(ctx, r, work, emit)
	return n, skipped, err
}

// appendScored writes the input object with the score fields added. The
// input is copied byte for byte when it has none of those fields yet;
// otherwise it is re-encoded with them replaced.
func appendScored(b []byte, line []byte, p postIn, res tips.Result, sels []selectors.Selector) []byte {
	fresh := p.Score == nil && p.Indicators == nil && p.Selectors == nil && p.Version == nil
	if fresh {
		body := bytes.TrimSpace(line[1 : len(line)-1])
		b = append(b, '{')
		b = append(b, body...)
		if len(body) > 0 {
			b = append(b, ',')
		}
		b = appendScoreFields(b, res, sels)
		return append(b, "}\n"...)
	}
	// Re-scoring a scored file: replace the old fields. The line was
	// already decoded once, so this cannot fail.
	var m map[string]json.RawMessage
	json.Unmarshal(line, &m)
	fields := appendScoreFields(nil, res, sels)
	var add map[string]json.RawMessage
	json.Unmarshal(append(append([]byte{'{'}, fields...), '}'), &add)
	for k, v := range add {
		m[k] = v
	}
	out, _ := json.Marshal(m)
	b = append(b, out...)
	return append(b, '\n')
}

// appendScoreFields writes "score", "indicators", "selectors" and
// "score_version" by hand: reflection-based encoding was a tenth of the
// cost of scoring.
func appendScoreFields(b []byte, res tips.Result, sels []selectors.Selector) []byte {
	b = append(b, `"score":`...)
	b = strconv.AppendFloat(b, res.Score, 'f', -1, 64)
	b = append(b, `,"indicators":[`...)
	for i, h := range res.Hits {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, h.ID)
		b = append(b, `,"label":`...)
		b = appendJSONString(b, h.Label)
		b = append(b, `,"category":`...)
		b = appendJSONString(b, h.Category)
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(h.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(h.End), 10)
		b = append(b, '}')
	}
	b = append(b, `],"selectors":[`...)
	for i, s := range sels {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":`...)
		b = appendJSONString(b, string(s.Type))
		b = append(b, `,"value":`...)
		b = appendJSONString(b, s.Value)
		b = append(b, `,"normalized":`...)
		b = appendJSONString(b, s.Normalized)
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(s.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(s.End), 10)
		b = append(b, '}')
	}
	b = append(b, `],"score_version":`...)
	return appendJSONString(b, res.Version)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, "\\ufffd"...)
		} else if r == '\u2028' || r == '\u2029' {
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

// postRecord is what networks keeps of a line.
type postRecord struct {
	id   string
	text string
	keys []string
}

func networksStream(ctx context.Context, r io.Reader, w io.Writer, skip bool, stderr io.Writer, opt networks.Options) (int, int, error) {
	var chunks [][]networks.Item
	total, skipped := 0, 0
	work := func(b *batch) {
		for k, line := range b.lines {
			p, id, ok, lerr := decodePost(line, b.first+k)
			if lerr != nil {
				b.errs = append(b.errs, lerr)
				continue
			}
			if !ok {
				continue
			}
			rec := postRecord{id: id, text: *p.Text}
			if p.Selectors != nil {
				for _, s := range *p.Selectors {
					if s.Type != "" && s.Normalized != "" {
						rec.keys = append(rec.keys, selectors.Selector{Type: selectors.Type(s.Type), Normalized: s.Normalized}.Key())
					}
				}
			} else {
				for _, s := range selectors.Extract(rec.text) {
					rec.keys = append(rec.keys, s.Key())
				}
			}
			b.recs = append(b.recs, rec)
		}
	}
	emit := func(b *batch) error {
		if len(b.errs) > 0 {
			if !skip {
				return b.errs[0]
			}
			for _, e := range b.errs {
				skipped++
				if skipped <= 20 {
					fmt.Fprintf(stderr, "atip tips networks: skipping %v\n", e)
				}
			}
		}
		chunk := make([]networks.Item, len(b.recs))
		for i, rec := range b.recs {
			chunk[i] = networks.Item{ID: rec.id, Text: rec.text, Keys: rec.keys}
		}
		chunks = append(chunks, chunk)
		total += len(chunk)
		b.recs = nil
		return nil
	}
	if err := readBatches(ctx, r, work, emit); err != nil {
		return 0, skipped, err
	}
	items := make([]networks.Item, 0, total)
	for _, c := range chunks {
		items = append(items, c...)
	}
	chunks = nil
	res, err := networks.Cluster(items, opt)
	if err != nil {
		return 0, skipped, err
	}
	if len(res.Ignored) > 0 {
		// Counted, never listed: the values are personal data.
		fmt.Fprintf(stderr, "atip tips networks: %d excluded or generic selector(s) linked nothing\n", len(res.Ignored))
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "network_id"}); err != nil {
		return 0, skipped, err
	}
	row := make([]string, 2)
	for i, it := range items {
		row[0] = it.ID
		row[1] = "n" + strconv.Itoa(res.Network[i]+1)
		if err := cw.Write(row); err != nil {
			return 0, skipped, err
		}
	}
	cw.Flush()
	return len(items), skipped, cw.Error()
}

func fitStream(r io.Reader, w io.Writer, skip bool, stderr io.Writer) (int, int, error) {
	lex, err := tips.DefaultLexicon()
	if err != nil {
		return 0, 0, err
	}
	prior, err := tips.DefaultPrior()
	if err != nil {
		return 0, 0, err
	}
	var fb []tips.Feedback
	skipped := 0
	br := bufio.NewReaderSize(r, 1<<20)
	for n := 1; ; n++ {
		line, rerr := readLine(br)
		if rerr != nil && rerr != io.EOF {
			return 0, skipped, fmt.Errorf("line %d: %w", n, rerr)
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			var f struct {
				Text     *string `json:"text"`
				Relevant *bool   `json:"relevant"`
				Label    *int    `json:"label"` // 1 or 0, as in the labelled corpus
			}
			var msg string
			if err := json.Unmarshal(line, &f); err != nil {
				msg = "invalid JSON"
			} else if f.Relevant == nil && f.Label != nil && (*f.Label == 0 || *f.Label == 1) {
				rel := *f.Label == 1
				f.Relevant = &rel
			}
			if msg == "" && (f.Text == nil || f.Relevant == nil) {
				msg = `needs "text" and "relevant" (or "label" 0/1)`
			}
			if msg != "" {
				if !skip {
					return 0, skipped, &lineError{n, msg}
				}
				skipped++
				fmt.Fprintf(stderr, "atip tips fit: skipping line %d: %s\n", n, msg)
			} else {
				fb = append(fb, tips.Feedback{Text: *f.Text, Relevant: *f.Relevant})
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	m, err := tips.Fit(lex, prior, fb, tips.FitOptions{})
	if err != nil {
		return 0, skipped, err
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return 0, skipped, err
	}
	_, err = w.Write(append(b, '\n'))
	return len(fb), skipped, err
}
