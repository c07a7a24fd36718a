// Command rocketchat-emulator serves the Rocket.Chat Cloud API emulator.
//
//	rocketchat-emulator -addr 127.0.0.1:0 -addr-file /tmp/addr -data "" \
//	    -token acme=TOKEN -provisioning "standard=immediate,premium=delayed:2s,dedicated=manual" \
//	    -seed estate.json
//
// Every flag can also be set by an environment variable,
// ROCKETCHAT_EMULATOR_<FLAG> (upper case, "-" as "_"; -token is
// ROCKETCHAT_EMULATOR_TOKENS, a comma-separated list of org=TOKEN). A flag on
// the command line wins over its variable. -help lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "rocketchat-emulator:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done (SIGINT or SIGTERM), then shuts down.
func run(ctx context.Context, args []string, environ []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, environ, stderr)
	if err != nil {
		return err
	}
	srv, err := emulator.New(o.cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Close(); err != nil {
			_, _ = fmt.Fprintln(stderr, "rocketchat-emulator: closing the store:", err)
		}
	}()
	if o.seed != "" {
		if err := srv.LoadSeedFile(o.seed); err != nil {
			return err
		}
		_, _ = fmt.Fprintln(stderr, "rocketchat-emulator: loaded seed", o.seed)
	}

	ln, err := emulator.Listen(o.addr, o.limits)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if o.addrFile != "" {
		tmp := o.addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(url+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, o.addrFile); err != nil {
			return err
		}
	}
	_, _ = fmt.Fprintln(stdout, "rocketchat-emulator listening on "+url)
	if o.cfg.AdminToken != "" {
		_, _ = fmt.Fprintln(stderr, "rocketchat-emulator: browser console on "+url+"/console/ (log in with the admin token)")
	}

	hs := emulator.NewHTTPServer(srv, o.limits)
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	select {
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(shutdownCtx); err != nil {
			return err
		}
	}
	return srv.Close()
}
