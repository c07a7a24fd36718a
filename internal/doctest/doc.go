// Package doctest runs what the docs tell a user to run, as part of `make test`.
//
// Every fenced shell snippet of README.md and docs/guides/*.md carries a
// marker, an HTML comment on the line before its fence (invisible on GitHub
// and the Registry, and passed through tfplugindocs unchanged):
//
//	<!-- snippet: run [in=DIR] -->        run it (DIR: a directory of the repository to start in)
//	<!-- snippet: skip (why) -->          a snippet that cannot run here, and why
//	<!-- snippet: file PATH -->           write the fence's text to PATH before the page's snippets run
//	<!-- snippet: validate [in=DIR] [as=FILE] [cli=1.12|1.14] -->
//
// A shell fence without a marker fails the test, so a new snippet cannot
// escape it. The run snippets of a page run in order, as one bash script
// (set -euo pipefail), in a temporary copy of the repository, offline,
// against an emulator and a provider built from it once; a failing command,
// or a process the snippets leave running, fails the test. Every HCL snippet
// (terraform, hcl) is checked with `terraform init` and `terraform validate`,
// alone or as the file `as` inside a copy of `in`.
package doctest
