package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"atip"
	"atip/internal/database"
)

const orgUsage = `Usage:
  atip org create --name NAME --type TYPE --jurisdiction CODE [--db URL]
  atip org list [--type TYPE] [--query TEXT] [--db URL]

Creates or lists organisations, as the machine's operator (audited with via=cli).

TYPE is one of: border_unit, ahtu, police, cwc, shelter_ngo, government,
prosecution, foreign_counterpart, international.
CODE is a gazetteer place code, e.g. IN-BR-SITAMARHI, NP-P3-KATHMANDU, BD-C-DHAKA.

Flags:
  --db URL          SQLite file (default atip.db, env ATIP_DB) or postgres://… URL
  --audit-key FILE  audit signing key file (env ATIP_AUDIT_KEY_FILE)`

func init() {
	register(&command{name: "org", summary: "create and list organisations", usage: orgUsage, run: runOrg})
}

// parseInterleaved parses flags that may come before or after positional
// arguments (`atip user disable LOGIN --db x`), which flag.Parse alone does
// not allow.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseFlagsOnly parses flags given anywhere among args and refuses any
// positional argument, for the actions that take flags only.
func parseFlagsOnly(fs *flag.FlagSet, args []string) error {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("%v", err)
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	return nil
}

func runOrg(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return usageError("missing action (create or list)")
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("org "+action, flag.ContinueOnError)
	cfg := addDBFlags(fs, env)
	switch action {
	case "create":
		name := fs.String("name", "", "organisation name")
		typ := fs.String("type", "", "organisation type")
		jur := fs.String("jurisdiction", "", "gazetteer place code")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		o := &atip.Org{Name: *name, Type: atip.OrgType(*typ), Jurisdiction: *jur}
		if err := database.NewOrgService(db).CreateOrg(atip.OperatorContext(ctx), o); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "created organisation %s\t%s\n", o.ID, o.Name)
		return nil
	case "list":
		typ := fs.String("type", "", "only organisations of this type")
		query := fs.String("query", "", "only organisations whose name contains this")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTYPE\tJURISDICTION\tSTATUS\tNAME")
		f := atip.OrgFilter{Type: atip.OrgType(*typ), Query: *query, Limit: 500}
		for {
			page, next, err := database.NewOrgService(db).FindOrgs(atip.OperatorContext(ctx), f)
			if err != nil {
				return err
			}
			for _, o := range page {
				status := "active"
				if o.Disabled {
					status = "disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.ID, o.Type, o.Jurisdiction, status, o.Name)
			}
			if next == "" {
				break
			}
			f.After = next
		}
		return tw.Flush()
	}
	return usageError("unknown action %q (want create or list)", action)
}

// resolveOrg finds an organisation by id or by its exact name (case and
// spacing aside).
func resolveOrg(ctx context.Context, orgs *database.OrgService, ref string) (*atip.Org, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, &atip.Error{Code: atip.EINVALID, Message: "some fields are not valid",
			Fields: []atip.FieldError{{Field: "org", Message: "is required"}}}
	}
	if o, err := orgs.FindOrgByID(ctx, ref); err == nil {
		return o, nil
	} else if atip.ErrorCode(err) != atip.ENOTFOUND {
		return nil, err
	}
	page, _, err := orgs.FindOrgs(ctx, atip.OrgFilter{Query: ref, Limit: 100})
	if err != nil {
		return nil, err
	}
	var match *atip.Org
	for _, o := range page {
		if strings.EqualFold(strings.Join(strings.Fields(o.Name), " "), strings.Join(strings.Fields(ref), " ")) {
			if match != nil {
				return nil, errors.New("more than one organisation has that name; give its id")
			}
			match = o
		}
	}
	if match == nil {
		return nil, &atip.Error{Code: atip.ENOTFOUND, Message: "no organisation with that id or name (see atip org list)"}
	}
	return match, nil
}
