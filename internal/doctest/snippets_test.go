package doctest

import (
	"strings"
	"testing"
)

func TestParseReadsMarkersAndIndentedFences(t *testing.T) {
	page := "intro\n\n<!-- snippet: run in=examples/demo -->\n```sh\nmake demo\n```\n\n" +
		"1. step\n\n   <!-- snippet: skip (needs a second terminal) -->\n   ```sh\n   curl x\n   ```\n\n" +
		"```terraform\nresource \"a\" \"b\" {}\n```\n" +
		"<!-- snippet: validate in=examples/modules/m as=tests/s.tftest.hcl cli=1.14 -->\n```hcl\nrun \"x\" {}\n```\n" +
		"<!-- snippet: file tests/estate.json -->\n```json\n{}\n```\n```sh\nunmarked\n```\n"
	got, err := Parse("p.md", page)
	if err != nil {
		t.Fatal(err)
	}
	want := []Snippet{
		{Line: 4, Lang: "sh", Action: "run", In: "examples/demo", Text: "make demo\n"},
		{Line: 11, Lang: "sh", Action: "skip", Reason: "needs a second terminal", Text: "curl x\n"},
		{Line: 15, Lang: "terraform", Text: "resource \"a\" \"b\" {}\n"},
		{Line: 19, Lang: "hcl", Action: "validate", In: "examples/modules/m", As: "tests/s.tftest.hcl", CLI: "1.14", Text: "run \"x\" {}\n"},
		{Line: 23, Lang: "json", Action: "file", As: "tests/estate.json", Text: "{}\n"},
		{Line: 26, Lang: "sh", Text: "unmarked\n"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d snippets, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		want[i].Page = "p.md"
		if got[i] != want[i] {
			t.Errorf("snippet %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestParseRefusesBadMarkers(t *testing.T) {
	for _, page := range []string{
		"<!-- snippet: runn -->\n```sh\nx\n```\n",
		"<!-- snippet: skip -->\n```sh\nx\n```\n",
		"<!-- snippet: file ../x -->\n```sh\nx\n```\n",
		"<!-- snippet: run as=x -->\n```sh\nx\n```\n",
		"<!-- snippet: run -->\ntext\n```sh\nx\n```\n",
		"```sh\nnever closed\n",
	} {
		if _, err := Parse("p.md", page); err == nil {
			t.Errorf("no error for %q", page)
		} else if !strings.Contains(err.Error(), "p.md:") {
			t.Errorf("error without the place: %v", err)
		}
	}
}
