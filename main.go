// Command terraform-provider-rocketchat serves the Rocket.Chat Cloud provider
// to Terraform over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run with support for debuggers like delve")
	flag.Parse()

	provider.TuneProcess()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/rocketchat/rocketchat",
		Debug:           debugMode,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}
