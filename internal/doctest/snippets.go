package doctest

import (
	"bufio"
	"fmt"
	"regexp"
	"strings"
)

// Snippet is one fenced block of a page and what its marker asks.
type Snippet struct {
	Page   string
	Line   int    // line of the opening fence, 1-based
	Lang   string // the fence's info string: sh, terraform, json, ...
	Action string // run, skip, file, validate, or "" (no marker)
	Reason string // skip: why
	In     string // run, validate: a directory of the repository
	As     string // validate: the file name to write; file: the path
	CLI    string // validate: the Terraform CLI it needs (1.12, 1.14), "" for any
	Text   string
}

var markerRE = regexp.MustCompile(`^<!--\s*snippet:\s*(.*?)\s*-->$`)

// IsShell says whether a fence holds commands a user types.
func (s Snippet) IsShell() bool {
	switch s.Lang {
	case "sh", "shell", "bash", "console":
		return true
	}
	return false
}

// IsHCL says whether a fence holds Terraform configuration.
func (s Snippet) IsHCL() bool { return s.Lang == "terraform" || s.Lang == "hcl" || s.Lang == "tf" }

// Parse returns the fenced blocks of a Markdown page with their markers. It
// fails on a marker it does not understand, or one that is not followed by a fence.
func Parse(page, text string) ([]Snippet, error) {
	var out []Snippet
	var pending *Snippet
	var cur *Snippet
	var body []string
	indent := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if cur != nil {
			if strings.HasPrefix(trimmed, "```") && strings.TrimLeft(trimmed, "`") == "" {
				cur.Text = strings.Join(body, "\n") + "\n"
				out = append(out, *cur)
				cur, body = nil, nil
				continue
			}
			body = append(body, strings.TrimPrefix(line, indent))
			continue
		}
		if m := markerRE.FindStringSubmatch(trimmed); m != nil {
			s, err := parseMarker(m[1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", page, n, err)
			}
			pending = &s
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			s := Snippet{}
			if pending != nil {
				s = *pending
			}
			s.Page, s.Line, s.Lang = page, n, strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))
			indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
			cur, pending = &s, nil
			continue
		}
		if pending != nil && trimmed != "" {
			return nil, fmt.Errorf("%s:%d: a snippet marker must be followed by a fence", page, n)
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: fence never closed", page, cur.Line)
	}
	return out, sc.Err()
}

func parseMarker(m string) (Snippet, error) {
	action, rest, _ := strings.Cut(m, " ")
	s := Snippet{Action: action}
	switch action {
	case "skip":
		s.Reason = strings.Trim(strings.TrimSpace(rest), "()")
		if s.Reason == "" {
			return s, fmt.Errorf("snippet: skip needs a reason: <!-- snippet: skip (why) -->")
		}
		return s, nil
	case "file":
		s.As = strings.TrimSpace(rest)
		if s.As == "" || strings.Contains(s.As, "..") || strings.HasPrefix(s.As, "/") {
			return s, fmt.Errorf("snippet: file needs a relative path inside the working directory")
		}
		return s, nil
	case "run", "validate":
	default:
		return s, fmt.Errorf("snippet: unknown action %q (run, skip, file, validate)", action)
	}
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case ok && k == "in":
			s.In = v
		case ok && k == "as" && action == "validate":
			s.As = v
		case ok && k == "cli" && action == "validate" && (v == "1.12" || v == "1.14"):
			s.CLI = v
		default:
			return s, fmt.Errorf("snippet: %s does not take %q", action, f)
		}
	}
	return s, nil
}
