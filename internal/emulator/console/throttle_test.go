package console

import (
	"fmt"
	"testing"
	"time"
)

// An address gets MaxLoginFailures wrong tokens per window, then waits until
// the window ends; a correct login clears its count; other addresses are not
// affected; the table stays bounded whatever the number of addresses.
func TestLoginThrottle(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	th := newLoginThrottle(func() time.Time { return now })
	for i := range MaxLoginFailures {
		if d := th.wait("198.51.100.7"); d != 0 {
			t.Fatalf("failure %d: must wait %v already", i, d)
		}
		th.failed("198.51.100.7")
	}
	if d := th.wait("198.51.100.7"); d != LoginWindow {
		t.Fatalf("after %d failures: wait %v, want %v", MaxLoginFailures, d, LoginWindow)
	}
	if d := th.wait("198.51.100.8"); d != 0 {
		t.Fatalf("another address waits %v", d)
	}
	now = now.Add(LoginWindow - time.Second)
	if d := th.wait("198.51.100.7"); d != time.Second {
		t.Fatalf("near the window's end: wait %v", d)
	}
	now = now.Add(time.Second)
	if d := th.wait("198.51.100.7"); d != 0 {
		t.Fatalf("after the window: wait %v", d)
	}

	// A correct login clears the count.
	for range MaxLoginFailures - 1 {
		th.failed("203.0.113.1")
	}
	th.succeeded("203.0.113.1")
	th.failed("203.0.113.1")
	if d := th.wait("203.0.113.1"); d != 0 {
		t.Fatalf("a success did not clear the count: wait %v", d)
	}

	// Bounded: many addresses never grow the table past its size.
	for i := range 3 * loginAddresses {
		th.failed(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		now = now.Add(time.Millisecond)
	}
	if n := len(th.addrs); n > loginAddresses {
		t.Fatalf("%d addresses held, bound %d", n, loginAddresses)
	}
}
