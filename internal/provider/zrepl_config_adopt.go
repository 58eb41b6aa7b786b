package provider

import (
	"bytes"
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zrepl"
)

// A zrepl.yml written by hand (the article's) rarely has the provider's
// layout. When it says what the blocks say, it is adopted as it stands:
// the plan keeps the file's own hash, so nothing is written and zrepl is
// not restarted. Only a change of what zrepl would run rewrites the file.

// zreplParsedKey holds, in private state, the hash of the file whose parse
// gave the state's blocks. A file that does not parse leaves the blocks
// of an earlier read: then the hashes differ, and the file is written.
const zreplParsedKey = "zrepl_parsed_sha256"

func setZreplParsed(ctx context.Context, set privateSetter, f zrepl.File) diag.Diagnostics {
	if f.ParseErr != nil {
		return set.SetKey(ctx, zreplParsedKey, nil)
	}
	return set.SetKey(ctx, zreplParsedKey, zreplParsedValue(f.SHA256))
}

// zreplParsedValue is the private value for a hash: a JSON string, as
// private state holds JSON.
func zreplParsedValue(sha string) []byte { return []byte(`"` + sha + `"`) }

// adoptedHash keeps the file's hash in plan when the file says what
// content (the planned blocks' rendering) says: from the state, whose
// blocks Read parsed from that file, or, for a new resource, from the file
// on the host.
func (r *zreplConfigResource) adoptedHash(ctx context.Context, req resource.ModifyPlanRequest, plan *zreplConfigModel, content []byte) diag.Diagnostics {
	if !req.State.Raw.IsNull() {
		var state zreplConfigModel
		diags := req.State.Get(ctx, &state)
		parsed, d := req.Private.GetKey(ctx, zreplParsedKey)
		diags.Append(d...)
		if diags.HasError() || !isKnownString(state.ContentSHA256) || string(parsed) != string(zreplParsedValue(state.ContentSHA256.ValueString())) ||
			!state.Path.Equal(plan.Path) {
			return diags
		}
		had, d := state.render()
		diags.Append(d...)
		if !d.HasError() && bytes.Equal(had, content) {
			plan.ContentSHA256 = state.ContentSHA256
		}
		return diags
	}
	// A new resource over a file that is there already: read at plan time,
	// so that the plan says whether the file will be written.
	if !isKnownString(plan.Host) || !isKnownString(plan.Path) {
		return nil
	}
	target, diags := r.data.target(plan.Host.ValueString())
	if diags.HasError() {
		return nil // the host's own check reports it
	}
	f, err := zrepl.Read(ctx, target, plan.Path.ValueString())
	if err == nil && f.ParseErr == nil && zrepl.SameMeaning(f.Content, content) {
		plan.ContentSHA256 = types.StringValue(f.SHA256)
	}
	return nil
}
