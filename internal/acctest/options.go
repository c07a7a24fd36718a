package acctest

import (
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// WithDomainVerifyDelay verifies every custom domain this long after it is
// added, as if its TXT record had been found (the default, 0, verifies only
// through the admin endpoint).
func WithDomainVerifyDelay(d time.Duration) Option {
	return func(c *emulator.Config) { c.DomainVerifyDelay = d }
}
