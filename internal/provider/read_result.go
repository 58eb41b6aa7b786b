package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// readFailed classifies what a resource's Read got from its domain call, the
// one way every resource does it: an object the host no longer has leaves
// the state (the next plan creates it), any other error is a diagnostic. It
// reports whether Read must stop.
func readFailed(ctx context.Context, resp *resource.ReadResponse, err, notFound error, action, hostName string) bool {
	if errors.Is(err, notFound) {
		resp.State.RemoveResource(ctx)
		return true
	}
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag(action, hostName, err))
		return true
	}
	return false
}
