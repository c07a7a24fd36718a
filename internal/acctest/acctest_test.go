package acctest

import "testing"

func TestUnprotected(t *testing.T) {
	in := `resource "rocketchat_plan_tier" "p" {
  tier = "standard"
}

resource "rocketchat_workspace" "a" {
  name = "A"
}

resource "rocketchat_workspace" "b" {
  name                = "B"
  deletion_protection = true
}
`
	want := `resource "rocketchat_plan_tier" "p" {
  tier = "standard"
}

resource "rocketchat_workspace" "a" {
  deletion_protection = false
  name = "A"
}

resource "rocketchat_workspace" "b" {
  name                = "B"
  deletion_protection = false
}
`
	if got := Unprotected(in); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := Unprotected(want); got != want {
		t.Fatalf("not idempotent:\n%s", got)
	}
}
