package workload_test

import (
	"os"
	"strings"
	"testing"
)

// The README's tour is the body of Example (example_tour_test.go), so that
// what it shows compiles and runs as a test.
func TestReadmeTourIsExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, tour, ok := strings.Cut(string(readme), "## A short tour\n")
	if !ok {
		t.Fatal(`README.md has no "## A short tour" section`)
	}
	_, block, ok := strings.Cut(tour, "```go\n")
	block, _, ok2 := strings.Cut(block, "```\n")
	if !ok || !ok2 {
		t.Fatal("the tour has no go code block")
	}
	src, err := os.ReadFile("example_tour_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(src), "func Example() {\n")
	body, _, ok2 = strings.Cut(body, "\n\t// Output:")
	if !ok || !ok2 {
		t.Fatal("example_tour_test.go has no Example with an Output")
	}
	var want strings.Builder
	for _, l := range strings.Split(body, "\n") {
		want.WriteString(strings.TrimPrefix(l, "\t") + "\n")
	}
	if block != want.String() {
		t.Errorf("README.md's tour differs from the body of Example:\n--- README\n%s--- Example\n%s", block, want.String())
	}
}
