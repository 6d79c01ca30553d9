package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"atip/internal/gazetteer"
)

const placesUsage = `Usage:
  atip places search NAME [--within CODE] [--level country|state|district] [--limit N] [--json]
  atip places show CODE [--json]
  atip places list [CODE] [--json]

Looks places up in the built-in gazetteer (countries, states/provinces/divisions
and districts of India, Nepal, Bangladesh and Sri Lanka, with alternate, former
and local-script names).

  search  places whose name or alternate name matches NAME as ATIP matches
          records ("24 Parganas South", "Sindhupalchowk", "Chittagong" …); when
          none does, places whose names start with NAME, and failing that near
          misses ("Sitamari"). NAME may be several words without quotes.
  show    one place: its path, kind, ISO code, alternate names and matching key.
  list    the places directly under CODE (the countries without CODE).

Flags:
  --within CODE  only places in CODE (any level), e.g. IN-WB or NP
  --level L      only countries, states or districts
  --limit N      at most N prefix or near-miss suggestions (default 20)
  --json         print JSON instead of a table

Exit status: 0 when something was found, 1 when nothing was, 2 on a usage error.`

func init() {
	register(&command{
		name:    "places",
		summary: "look up places in the built-in gazetteer",
		usage:   placesUsage,
		run:     runPlaces,
	})
}

type placesFlags struct {
	within string
	level  string
	limit  int
	json   bool
}

// parsePlacesArgs accepts flags before, between and after the words, so that
// `atip places search South 24 Parganas --within IN-WB` reads naturally.
func parsePlacesArgs(args []string) (placesFlags, []string, error) {
	var pf placesFlags
	fs := flag.NewFlagSet("places", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&pf.within, "within", "", "")
	fs.StringVar(&pf.level, "level", "", "")
	fs.IntVar(&pf.limit, "limit", gazetteer.DefaultSearchLimit, "")
	fs.BoolVar(&pf.json, "json", false, "")
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return pf, nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pf, words, nil
		}
		words = append(words, args[0])
		args = args[1:]
	}
}

func runPlaces(ctx context.Context, env *cmdEnv, args []string) error {
	pf, words, err := parsePlacesArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(env.stdout, placesUsage)
		return nil
	}
	if err != nil {
		return usageError("%v", err)
	}
	if len(words) == 0 {
		return usageError("missing subcommand: search, show or list")
	}
	if pf.within != "" {
		if _, ok := gazetteer.Get(pf.within); !ok {
			return usageError("--within: no place has the code %q", pf.within)
		}
	}
	var level gazetteer.Level
	switch strings.ToLower(pf.level) {
	case "":
	case "country":
		level = gazetteer.Country
	case "state", "province", "division":
		level = gazetteer.State
	case "district":
		level = gazetteer.District
	default:
		return usageError("--level: %q is not country, state or district", pf.level)
	}
	if pf.limit < 1 {
		return usageError("--limit: must be at least 1")
	}
	sub, rest := words[0], words[1:]
	switch sub {
	case "search":
		name := strings.Join(rest, " ")
		if strings.TrimSpace(name) == "" {
			return usageError("search: missing NAME")
		}
		return placesSearch(env.stdout, name, pf, level)
	case "show":
		if len(rest) != 1 {
			return usageError("show: want exactly one CODE")
		}
		p, ok := gazetteer.Get(rest[0])
		if !ok {
			return fmt.Errorf("no place has the code %q (try `atip places search`)", rest[0])
		}
		return placesShow(env.stdout, p, pf.json)
	case "list":
		if len(rest) > 1 {
			return usageError("list: want at most one CODE")
		}
		code := ""
		if len(rest) == 1 {
			if _, ok := gazetteer.Get(rest[0]); !ok {
				return fmt.Errorf("no place has the code %q", rest[0])
			}
			code = rest[0]
		}
		return writePlaces(env.stdout, gazetteer.Children(code), pf.json, "")
	}
	return usageError("unknown subcommand %q: want search, show or list", sub)
}

func placesSearch(w io.Writer, name string, pf placesFlags, level gazetteer.Level) error {
	var found []*gazetteer.Place
	if level == 0 {
		found = gazetteer.Match(name, pf.within)
	} else {
		found = gazetteer.MatchLevel(name, pf.within, level)
	}
	note := ""
	if len(found) == 0 {
		found = gazetteer.SearchLevel(name, pf.within, level, pf.limit)
		note = fmt.Sprintf("no place is called %q; names starting so:", name)
	}
	if len(found) == 0 {
		for _, p := range gazetteer.Suggest(name, pf.within, pf.limit) {
			if level == 0 || p.Level == level {
				found = append(found, p)
			}
		}
		note = fmt.Sprintf("no place is called %q; did you mean:", name)
	}
	if len(found) == 0 {
		if pf.json {
			fmt.Fprintln(w, "[]")
		}
		return &exitError{code: 1, err: fmt.Errorf("no place matches %q", name)}
	}
	return writePlaces(w, found, pf.json, note)
}

// placeJSON is the JSON form of a place for scripts.
type placeJSON struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Level    string   `json:"level"`
	Country  string   `json:"country"`
	Parent   string   `json:"parent,omitempty"`
	ISO      string   `json:"iso,omitempty"`
	Path     []string `json:"path"`
	Alt      []string `json:"alt,omitempty"`
	Local    []string `json:"local,omitempty"`
	Key      string   `json:"key"`
	Children int      `json:"children"`
}

func toJSON(p *gazetteer.Place) placeJSON {
	var path []string
	for _, q := range gazetteer.Path(p.Code) {
		path = append(path, q.Name)
	}
	return placeJSON{
		Code: p.Code, Name: p.Name, Kind: p.Kind, Level: p.Level.String(), Country: p.Country,
		Parent: p.Parent, ISO: p.ISO, Path: path, Alt: p.Alt, Local: p.Local,
		Key: gazetteer.Key(p.Name), Children: len(gazetteer.Children(p.Code)),
	}
}

func writePlaces(w io.Writer, ps []*gazetteer.Place, asJSON bool, note string) error {
	if asJSON {
		out := make([]placeJSON, len(ps))
		for i, p := range ps {
			out[i] = toJSON(p)
		}
		return writeJSON(w, out)
	}
	if note != "" {
		fmt.Fprintln(w, note)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tKIND\tIN")
	for _, p := range ps {
		var in []string
		for _, q := range gazetteer.Path(p.Code) {
			if q != p {
				in = append(in, q.Name)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Code, p.Name, p.Kind, strings.Join(in, " > "))
	}
	return tw.Flush()
}

func placesShow(w io.Writer, p *gazetteer.Place, asJSON bool) error {
	j := toJSON(p)
	if asJSON {
		return writeJSON(w, j)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("Code:", p.Code)
	row("Name:", p.Name)
	kind := p.Kind
	if kind != j.Level {
		kind += " (" + j.Level + " level)"
	}
	row("Kind:", kind)
	row("Path:", strings.Join(j.Path, " > "))
	row("ISO 3166:", p.ISO)
	row("Local names:", strings.Join(p.Local, ", "))
	var latin []string
	for _, a := range p.Alt {
		if !containsString(p.Local, a) {
			latin = append(latin, a)
		}
	}
	row("Also called:", strings.Join(latin, ", "))
	row("Match key:", j.Key)
	if j.Children > 0 {
		row("Contains:", fmt.Sprintf("%d places (atip places list %s)", j.Children, p.Code))
	}
	return tw.Flush()
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
