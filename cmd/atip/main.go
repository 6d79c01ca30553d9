// Command atip is the one binary of the Anti-Trafficking in Persons Platform.
//
// Every subcommand lives in its own file in this package and registers itself
// in init, so that adding a command never means editing a shared switch.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand of atip. run receives the arguments after the
// command's own name; it returns an error instead of exiting so that tests can
// drive commands in-process.
type command struct {
	name    string
	summary string // one line, shown by `atip help`
	usage   string // full help text, shown by `atip help NAME` and on -h
	run     func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what a command may touch of the outside world.
type cmdEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("atip: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// exitError carries a specific exit status; any other error exits with 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks a mistake in how the command was called; it exits 2.
func usageError(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cmdEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := runMain(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// runMain dispatches to a subcommand and turns its error into an exit status.
func runMain(ctx context.Context, env *cmdEnv, args []string) int {
	if len(args) == 0 {
		printOverview(env.stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help":
		printOverview(env.stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.stderr, "atip: unknown command %q\n\n", name)
		printOverview(env.stderr)
		return 2
	}
	err := c.run(ctx, env, args[1:])
	if err == nil {
		return 0
	}
	var ee *exitError
	code := 1
	if errors.As(err, &ee) {
		code = ee.code
	}
	if ee == nil || ee.err != nil {
		fmt.Fprintf(env.stderr, "atip %s: %v\n", name, err)
	}
	if code == 2 && c.usage != "" {
		fmt.Fprintf(env.stderr, "\n%s\n", strings.TrimSpace(c.usage))
	}
	return code
}

func printOverview(w io.Writer) {
	fmt.Fprintln(w, "atip — the Anti-Trafficking in Persons Platform")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: atip COMMAND [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `atip help COMMAND` for the details of one command.")
}

func init() {
	register(&command{
		name:    "help",
		summary: "show the help of a command",
		usage:   "Usage: atip help [COMMAND]\n\nShows what COMMAND does and the arguments it takes.",
		run: func(ctx context.Context, env *cmdEnv, args []string) error {
			if len(args) == 0 {
				printOverview(env.stdout)
				return nil
			}
			c, ok := commands[args[0]]
			if !ok {
				return usageError("unknown command %q", args[0])
			}
			fmt.Fprintln(env.stdout, strings.TrimSpace(c.usage))
			return nil
		},
	})
}
