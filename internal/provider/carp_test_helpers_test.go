package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// expectChanged checks that a resource's planned change names exactly these
// attributes among the ones it compares: each differs between before and
// after (or is unknown after), and no other attribute of the resource
// changes except those in also (computed ones that follow). It is how the
// drift tests check that a plan says what drifted.
type expectChanged struct {
	addr  string
	attrs []string
	also  []string
}

func (e expectChanged) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var changed []string
		keys := map[string]bool{}
		for k := range before {
			keys[k] = true
		}
		for k := range after {
			keys[k] = true
		}
		for k := range unknown {
			keys[k] = true
		}
		for k := range keys {
			if u, ok := unknown[k].(bool); ok && u || !reflect.DeepEqual(before[k], after[k]) {
				changed = append(changed, k)
			}
		}
		sort.Strings(changed)
		for _, a := range e.attrs {
			if !slices.Contains(changed, a) {
				resp.Error = fmt.Errorf("%s: the plan does not change %s (it changes %s)", e.addr, a, strings.Join(changed, ", "))
				return
			}
		}
		for _, c := range changed {
			if !slices.Contains(e.attrs, c) && !slices.Contains(e.also, c) {
				resp.Error = fmt.Errorf("%s: the plan also changes %s (it changes %s; want %s)", e.addr, c,
					strings.Join(changed, ", "), strings.Join(e.attrs, ", "))
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", e.addr)
}

// secretPaths returns the JSON paths in v whose string values hold secret.
func secretPaths(v any, secret string) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return []string{"(unmarshalable: " + err.Error() + ")"}
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return []string{"(unparsable: " + err.Error() + ")"}
	}
	var out []string
	var walk func(p string, v any)
	walk = func(p string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if strings.Contains(k, secret) {
					out = append(out, p+"."+k+" (key)")
				}
				walk(p+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", p, i), e)
			}
		case string:
			if strings.Contains(x, secret) {
				out = append(out, p)
			}
		}
	}
	walk("", doc)
	sort.Strings(out)
	return out
}

// noSecretIn fails when secret appears anywhere in the plan or state that
// `terraform show -json` gives, naming where. The plan's configuration
// section is left out: it is the .tf source, where a test writes the
// password as a literal (a user passes it from an ephemeral variable,
// which is in no plan).
type noSecretIn struct{ secret string }

func (n noSecretIn) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	plan.Config = nil
	if p := secretPaths(plan, n.secret); len(p) > 0 {
		resp.Error = fmt.Errorf("a secret appears in the plan at %s", strings.Join(p, ", "))
	}
}

func (n noSecretIn) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if p := secretPaths(req.State, n.secret); len(p) > 0 {
		resp.Error = fmt.Errorf("a secret appears in the state at %s", strings.Join(p, ", "))
	}
}

// carpPeer configures the vhid on another lab host, out of band, and makes
// it MASTER, so that the lab's election has a second member that takes
// MASTER from the host under test (a lone host that is forced BACKUP
// becomes MASTER again when its master-down timer runs out, and a better
// peer that joins does not preempt: net.inet.carp.preempt is 0). With the
// lower advskew the peer keeps it.
func carpPeer(t *testing.T, l *lab.Lab, hostName string, vhid int, address string, advskew int, password string) {
	t.Helper()
	mustExec(t, l, hostName, fmt.Sprintf("kldload -n carp && ifconfig re0 inet vhid %d advskew %d pass %s %s/32 alias && "+
		"ifconfig re0 vhid %d state master", vhid, advskew, password, address, vhid))
}

// dropCarpPeer removes the peer's address, and with it its vhid.
func dropCarpPeer(t *testing.T, l *lab.Lab, hostName, address string) {
	t.Helper()
	mustExec(t, l, hostName, "ifconfig re0 inet "+address+" -alias")
}
