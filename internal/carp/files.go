package carp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Statuses of a generated file, as the resources report them: anything but
// StatusOK is drift.
const (
	StatusOK      = "ok"
	StatusMissing = "missing"
	StatusDiffers = "content differs"
)

// Generated files are root's, group wheel; scripts 0755, devd rules 0644.
const (
	scriptMode fs.FileMode = 0o755
	ruleMode   fs.FileMode = 0o644
	dirMode    fs.FileMode = 0o755
)

// generated is a file this package renders.
type generated struct {
	Path    string
	Content string
	Mode    fs.FileMode
}

// ensure writes the file unless it is already as rendered, and tells
// whether it wrote.
func (g generated) ensure(ctx context.Context, t host.Target) (bool, error) {
	_, changed, err := file.Ensure(ctx, t, file.Spec{
		Path: g.Path, Content: []byte(g.Content), Mode: g.Mode, Owner: "root", Group: "wheel", DirMode: dirMode,
	})
	return changed, err
}

// status compares the file on the host with the rendered one.
func (g generated) status(ctx context.Context, t host.Target) (string, error) {
	st, err := file.ReadState(ctx, t, g.Path)
	if errors.Is(err, file.ErrNotFound) {
		return StatusMissing, nil
	}
	if err != nil {
		return "", err
	}
	if st.Kind != file.Regular {
		return "not a regular file (" + st.Kind.String() + ")", nil
	}
	var problems []string
	if st.SHA256 != file.Hash([]byte(g.Content)) {
		problems = append(problems, StatusDiffers)
	}
	if st.Mode != g.Mode {
		problems = append(problems, fmt.Sprintf("mode %s (want %s)", file.FormatMode(st.Mode), file.FormatMode(g.Mode)))
	}
	if st.Owner != "root" {
		problems = append(problems, fmt.Sprintf("owner %s (want root)", st.Owner))
	}
	if len(problems) == 0 {
		return StatusOK, nil
	}
	return strings.Join(problems, ", "), nil
}

// readText reads a file; "" and no error when it is missing.
func readText(ctx context.Context, t host.Target, p string) (string, bool, error) {
	data, err := t.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return string(data), true, nil
}

var scriptPathPattern = regexp.MustCompile(`^/[A-Za-z0-9._+@/-]+$`)

// ScriptPathRules describes valid paths of generated files.
const ScriptPathRules = "an absolute path of letters, digits and `. _ + @ / -`"

// ValidateScriptPath accepts a path that devd can run and a shell reads as
// one word without quoting.
func ValidateScriptPath(p string) error {
	if err := file.ValidatePath(p); err != nil {
		return err
	}
	if !scriptPathPattern.MatchString(p) {
		return fmt.Errorf("%q is not %s", p, ScriptPathRules)
	}
	return nil
}

// Settings of a generated script are shell assignments at its top,
// NAME='value', one a line: the script reads them, and an import reads
// them back. Values hold no single quote (every value is validated).
type setting struct{ name, value string }

func renderSettings(b *strings.Builder, settings []setting) {
	for _, s := range settings {
		fmt.Fprintf(b, "%s='%s'\n", s.name, s.value)
	}
}

var settingPattern = regexp.MustCompile(`^([A-Z_]+)='([^']*)'$`)

func parseSettings(content string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(content, "\n") {
		if m := settingPattern.FindStringSubmatch(line); m != nil {
			if _, seen := out[m[1]]; !seen {
				out[m[1]] = m[2]
			}
		}
	}
	return out
}

// subsystemOf reads the interface and vhid a generated script was made
// for; ok is false for a file this package did not write.
func subsystemOf(settings map[string]string) (iface string, vhid int, ok bool) {
	iface, vhid, err := ifaceVHID(settings)
	return iface, vhid, err == nil
}

func ifaceVHID(settings map[string]string) (string, int, error) {
	iface, okI := settings["IFACE"]
	v, okV := settings["VHID"]
	if !okI || !okV {
		return "", 0, errors.New("it has no IFACE and VHID settings: it was not written by f3s")
	}
	vhid, err := strconv.Atoi(v)
	if err != nil || ValidateInterface(iface) != nil || vhid < MinVHID || vhid > MaxVHID {
		return "", 0, errors.New("its IFACE and VHID settings are not valid")
	}
	return iface, vhid, nil
}

// checkOwner refuses to overwrite a generated file that serves another
// vhid: two hooks (or failbacks) on one host need their own paths.
func checkOwner(ctx context.Context, t host.Target, p, iface string, vhid int) error {
	other, err := servesOther(ctx, t, p, iface, vhid)
	if err != nil || other == "" {
		return err
	}
	return fmt.Errorf("%s: %s serves %s, not vhid %d on %s: give this one another path", t.Name(), p, other, vhid, iface)
}

// servesOther names the vhid a generated file at p serves when that is not
// vhid on iface ("vhid 2 on re0"); "" when it serves this one, is not a
// file of this package, or is missing.
func servesOther(ctx context.Context, t host.Target, p, iface string, vhid int) (string, error) {
	text, ok, err := readText(ctx, t, p)
	if err != nil || !ok {
		return "", err
	}
	if i, v, mine := subsystemOf(parseSettings(text)); mine && (i != iface || v != vhid) {
		return fmt.Sprintf("vhid %d on %s", v, i), nil
	}
	return "", nil
}

const generatedNote = "# Generated by Terraform (terraform-provider-f3s); local changes are overwritten.\n"
