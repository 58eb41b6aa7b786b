// Command terraform-provider-f3s serves the f3s Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/f3s-storage/terraform-provider-f3s/internal/provider"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// memoryLimit is the provider's soft memory limit (runtime/debug) unless
// GOMEMLIMIT is set: the garbage collector works harder as the Go heap
// nears it. Chosen by measuring a plan over 1,000 datasets on two cores
// (make bench-scale): without a limit the provider peaked at 130-155 MiB
// of RSS; at 64 MiB its CPU time doubled (collecting nonstop); at 96 MiB
// it peaked at 110 MiB for about the CPU time of no limit. It is soft: a
// provider that needs more gets more.
const memoryLimit = 96 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	for k, v := range quietSDKLogs(os.Environ()) {
		_ = os.Setenv(k, v)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// sdkLogVariables are the levels of the loggers of terraform-plugin-go
// (TF_LOG_SDK, its root, and TF_LOG_SDK_PROTO) and of the framework
// (TF_LOG_SDK_FRAMEWORK). Unset, they log at trace: every request and
// every value walked, which Terraform then parses and drops unless TF_LOG
// asks for it (terraform-plugin-framework issue 1269).
var sdkLogVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// quietSDKLogs returns the variables that turn the SDK's own logs off, or
// none when the environment asks for logs: TF_LOG, TF_LOG_SDK or any
// TF_LOG_SDK_* set to something. The provider's own logs (tflog,
// TF_LOG_PROVIDER) are left as they are.
func quietSDKLogs(environ []string) map[string]string {
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if v != "" && (k == "TF_LOG" || k == "TF_LOG_SDK" || strings.HasPrefix(k, "TF_LOG_SDK_")) {
			return nil
		}
	}
	out := make(map[string]string, len(sdkLogVariables))
	for _, k := range sdkLogVariables {
		out[k] = "off"
	}
	return out
}
