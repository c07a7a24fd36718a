package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every flag, with its environment variable, is in the emulator's reference
// guide (templates/guides/emulator.md.tmpl -> docs/guides/emulator.md), so a
// new flag cannot go undocumented.
func TestEveryFlagIsInTheEmulatorGuide(t *testing.T) {
	guide, err := os.ReadFile("../../../../templates/guides/emulator.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	var usage bytes.Buffer
	_, _ = parseOptions([]string{"-help"}, nil, &usage)
	names := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(usage.String(), -1)
	if len(names) < 10 {
		t.Fatalf("found %d flags in -help:\n%s", len(names), usage.String())
	}
	for _, m := range names {
		name := m[1]
		// In the first cell of a row (the flag column), then the rest of the row.
		row := regexp.MustCompile("(?m)^\\| [^|\\n]*`-" + regexp.QuoteMeta(name) + "[` ][^|\\n]*\\|[^\\n]*$").FindString(string(guide))
		if row == "" {
			t.Errorf("-%s has no row in the flag table of templates/guides/emulator.md.tmpl", name)
			continue
		}
		if suffix := strings.TrimPrefix(envName(name), "ROCKETCHAT_EMULATOR"); !strings.Contains(row, "`"+suffix) {
			t.Errorf("-%s: its row does not name its variable %s: %s", name, envName(name), row)
		}
	}
}
