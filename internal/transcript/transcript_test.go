package transcript

import (
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	c := parseCommand("pod pod1 labels=tier=frontend ready")
	if c.Name != "pod" || strings.Join(c.Positional, ",") != "pod1,ready" || c.Args["labels"] != "tier=frontend" {
		t.Fatalf("parsed %+v", c)
	}
}

const sample = "# a comment\necho a\n----\na\n\necho b c\n----\nb\nc\n"

func echo(c Command) string { return strings.Join(c.Positional, "\n") }

func TestRunMatchingTranscript(t *testing.T) {
	mismatches, rewritten, err := run(sample, echo)
	if err != nil || len(mismatches) != 0 {
		t.Fatalf("err %v, mismatches %v", err, mismatches)
	}
	if rewritten != sample {
		t.Fatalf("rewriting a passing transcript changed it:\n%q\n%q", rewritten, sample)
	}
}

func TestRunReportsAndRewritesMismatch(t *testing.T) {
	stale := strings.Replace(sample, "b\nc\n", "b\n", 1)
	mismatches, rewritten, err := run(stale, echo)
	if err != nil {
		t.Fatal(err)
	}
	if len(mismatches) != 1 || !strings.HasPrefix(mismatches[0], "6: echo b c") {
		t.Fatalf("mismatches %q", mismatches)
	}
	if rewritten != sample {
		t.Fatalf("rewritten %q", rewritten)
	}
}

func TestRunRejectsMissingSeparator(t *testing.T) {
	if _, _, err := run("echo a\na\n", echo); err == nil {
		t.Fatal("accepted a command without ----")
	}
}

func TestRunKeepsEmptyOutputsStable(t *testing.T) {
	const text = "echo\n----\n\necho a\n----\na\n"
	_, rewritten, err := run(text, echo)
	if err != nil || rewritten != text {
		t.Fatalf("rewrote %q as %q (err %v)", text, rewritten, err)
	}
}
