package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"atip"
	"atip/internal/database"

	"golang.org/x/term"
)

const userUsage = `Usage:
  atip user create --org ORG --login LOGIN --name NAME --role ROLE[,ROLE…] [--lang en|hi|ne|bn] [--password-stdin]
  atip user reset-password LOGIN [--password-stdin]
  atip user reset-totp LOGIN
  atip user disable LOGIN
  atip user enable LOGIN
  atip user list [--org ORG] [--role ROLE] [--query TEXT]

Manages user accounts as the machine's operator (audited with via=cli).
ORG is an organisation id or its exact name. Passwords are never taken as a
flag (it would stay in the shell history): they are prompted for twice
without echo, or read as the first line of standard input with
--password-stdin (or whenever standard input is not a terminal).
reset-password ends all the user's sessions and lifts a lockout. reset-totp
turns two-factor off for a user who lost their phone and recovery codes (they
enrol again at next sign-in where their role requires it).

ROLE is one of: platform_admin, org_admin, supervisor, caseworker,
first_responder, analyst, auditor.

Flags (all actions):
  --db URL          SQLite file (default atip.db, env ATIP_DB) or postgres://… URL
  --audit-key FILE  audit signing key file (env ATIP_AUDIT_KEY_FILE)`

func init() {
	register(&command{name: "user", summary: "create, list, disable users and reset passwords", usage: userUsage, run: runUser})
}

// readPassword reads a new password: from the terminal without echo (asked
// twice), or as the first line of stdin.
func readPassword(env *cmdEnv, fromStdin bool) (string, error) {
	if f, ok := env.stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(env.stderr, "Repeat it: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func runUser(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return usageError("missing action (create, reset-password, reset-totp, disable, enable or list)")
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+action, flag.ContinueOnError)
	cfg := addDBFlags(fs, env)
	op := atip.OperatorContext(ctx)
	switch action {
	case "create":
		org := fs.String("org", "", "organisation id or name")
		login := fs.String("login", "", "login (user name or e-mail)")
		name := fs.String("name", "", "name shown on screen")
		roles := fs.String("role", "", "roles, comma-separated")
		lang := fs.String("lang", "en", "interface language")
		stdin := fs.Bool("password-stdin", false, "read the password from standard input")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		o, err := resolveOrg(op, database.NewOrgService(db), *org)
		if err != nil {
			return err
		}
		pw, err := readPassword(env, *stdin)
		if err != nil {
			return err
		}
		u := &atip.User{OrgID: o.ID, Login: *login, Name: *name, Lang: *lang}
		for _, r := range splitList(*roles) {
			u.Roles = append(u.Roles, atip.Role(r))
		}
		if err := database.NewUserService(db).CreateUser(op, u, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "created user %s\t%s\n", u.ID, u.Login)
		return nil
	case "reset-password", "reset-totp", "disable", "enable":
		stdin := fs.Bool("password-stdin", false, "read the password from standard input (reset-password)")
		pos, err := parseInterleaved(fs, args)
		if err != nil {
			return usageError("%v", err)
		}
		if len(pos) != 1 {
			return usageError("give exactly one LOGIN")
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		users := database.NewUserService(db)
		u, err := users.FindUserByLogin(op, pos[0])
		if err != nil {
			return err
		}
		if action == "reset-password" {
			pw, err := readPassword(env, *stdin)
			if err != nil {
				return err
			}
			if err := users.SetPassword(op, u.ID, pw); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "password of %s reset; their sessions are ended\n", u.Login)
			return nil
		}
		if action == "reset-totp" {
			if err := users.ResetTOTP(op, u.ID); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "two-factor sign-in of %s reset; their sessions are ended\n", u.Login)
			return nil
		}
		disabled := action == "disable"
		if _, err := users.UpdateUser(op, u.ID, atip.UserUpdate{Disabled: &disabled}); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s %sd\n", u.Login, action)
		return nil
	case "list":
		org := fs.String("org", "", "only users of this organisation (id or name)")
		role := fs.String("role", "", "only users with this role")
		query := fs.String("query", "", "only users whose login or name contains this")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		f := atip.UserFilter{Role: atip.Role(*role), Query: *query, Limit: 500}
		if *org != "" {
			o, err := resolveOrg(op, database.NewOrgService(db), *org)
			if err != nil {
				return err
			}
			f.OrgID = o.ID
		}
		orgNames := map[string]string{}
		for of := (atip.OrgFilter{Limit: 1000}); ; {
			page, next, err := database.NewOrgService(db).FindOrgs(op, of)
			if err != nil {
				return err
			}
			for _, o := range page {
				orgNames[o.ID] = o.Name
			}
			if next == "" {
				break
			}
			of.After = next
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLOGIN\tROLES\tSTATUS\t2FA\tORGANISATION")
		for {
			page, next, err := database.NewUserService(db).FindUsers(op, f)
			if err != nil {
				return err
			}
			for _, u := range page {
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				tfa := "off"
				if u.TOTPEnabled {
					tfa = "on"
				}
				roles := make([]string, len(u.Roles))
				for i, r := range u.Roles {
					roles[i] = string(r)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Login, strings.Join(roles, ","), status, tfa, orgNames[u.OrgID])
			}
			if next == "" {
				break
			}
			f.After = next
		}
		return tw.Flush()
	}
	return usageError("unknown action %q (want create, reset-password, reset-totp, disable, enable or list)", action)
}
