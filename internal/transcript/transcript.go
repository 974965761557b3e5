// Package transcript runs golden scenario files: a sequence of commands, each
// followed by the output it must produce, in the style of etcd raft's
// datadriven testdata. A file reads like a terminal session:
//
//	# comments and blank lines between steps are kept
//	sync frontend
//	----
//	create pod default/frontend-*
//
// Each step is one command line, a "----" line and the expected output, which
// ends at the next blank line (so outputs hold no blank lines). Running the
// tests with -update rewrites every expected output with what the code
// produced, for review in the diff.
package transcript

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite transcript expectations with the actual output")

// Command is one parsed command line: a name and its arguments. An argument
// "k=v" is split at its first '='; a bare word is kept as a positional.
type Command struct {
	Line       string
	Name       string
	Positional []string
	Args       map[string]string
}

// Arg returns the value of a k=v argument and whether it was given.
func (c Command) Arg(k string) (string, bool) {
	v, ok := c.Args[k]
	return v, ok
}

func parseCommand(line string) Command {
	fields := strings.Fields(line)
	c := Command{Line: line, Args: map[string]string{}}
	if len(fields) == 0 {
		return c
	}
	c.Name = fields[0]
	for _, f := range fields[1:] {
		if k, v, ok := strings.Cut(f, "="); ok {
			c.Args[k] = v
		} else {
			c.Positional = append(c.Positional, f)
		}
	}
	return c
}

// Run executes the transcript at path: each command is passed to do, whose
// output must equal the recorded one. Errors are part of the output: do
// should print them rather than fail the test.
func Run(t *testing.T, path string, do func(c Command) string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mismatches, rewritten, err := run(string(raw), do)
	if err != nil {
		t.Fatalf("%s:%v", path, err)
	}
	if *update {
		if err := os.WriteFile(path, []byte(rewritten), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, m := range mismatches {
		t.Errorf("%s:%s", path, m)
	}
}

// run replays a transcript and returns the steps whose output differs and
// the transcript rewritten with the actual outputs.
func run(text string, do func(c Command) string) (mismatches []string, rewritten string, err error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			out.WriteString(l + "\n")
			continue
		}
		lineNo := i + 1
		if i+1 >= len(lines) || lines[i+1] != "----" {
			return nil, "", fmt.Errorf("%d: command without a ---- line", lineNo)
		}
		i += 2
		var exp []string
		for ; i < len(lines) && lines[i] != ""; i++ {
			exp = append(exp, lines[i])
		}
		expected := strings.Join(exp, "\n")
		got := strings.TrimRight(do(parseCommand(l)), "\n")
		if got != expected {
			mismatches = append(mismatches, fmt.Sprintf("%d: %s\n--- expected\n%s\n--- got\n%s", lineNo, l, expected, got))
		}
		fmt.Fprintf(&out, "%s\n----\n", l)
		if got != "" {
			out.WriteString(got + "\n")
		}
		if i < len(lines) {
			out.WriteString("\n")
		}
	}
	return mismatches, out.String(), nil
}
