package provider

import (
	"context"
	"strings"
	"testing"
)

// Every resource takes the same host attribute: required, and moving an
// object to another host replaces it, as an update in place cannot.
func TestResourceHostAttribute(t *testing.T) {
	a := resourceHostAttribute()
	if !a.Required || a.Optional || a.Computed {
		t.Errorf("host attribute: Required=%v Optional=%v Computed=%v, want required only", a.Required, a.Optional, a.Computed)
	}
	if len(a.PlanModifiers) != 1 || !strings.Contains(a.PlanModifiers[0].Description(context.Background()), "destroy and recreate") {
		t.Errorf("host attribute plan modifiers = %v, want RequiresReplace", a.PlanModifiers)
	}
	if d := dataSourceHostAttribute(); !d.Required {
		t.Error("data source host attribute is not required")
	}
}
