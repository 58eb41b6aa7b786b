package carp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/rc"
)

// LoaderVariable is the loader.conf(5) variable that loads carp.ko at boot.
const LoaderVariable = "carp_load"

// Address is one CARP virtual address as the user declares it.
type Address struct {
	Interface string
	VHID      int
	Address   netip.Prefix
	Advbase   int
	Advskew   int
	// Password is never logged: it reaches the host on standard input.
	Password string
	// RCFile is where its alias variable goes (one of RCFiles).
	RCFile string
}

func (a Address) alias() Alias {
	return Alias{VHID: a.VHID, Advbase: a.Advbase, Advskew: a.Advskew, Password: a.Password, Address: a.Address}
}

// Subsystem is how devd names the vhid: VHID@IF.
func Subsystem(iface string, vhid int) string { return strconv.Itoa(vhid) + "@" + iface }

// Persisted is the alias variable that configures a vhid at boot.
type Persisted struct {
	File     string
	Variable string
	Index    int
	// Alias is the value parsed; Valid is false when the value configures
	// the vhid in a way this package does not write (Masked then shows
	// only that).
	Alias Alias
	Valid bool
}

// Masked is the persisted value for the state: the password shown as
// MaskPassword when fingerprint verifies it, else MaskOtherPassword.
func (p Persisted) Masked(fingerprint string) string {
	if !p.Valid {
		return "(not a value f3s writes)"
	}
	mask := MaskOtherPassword
	if p.Alias.Password != "" && VerifyFingerprint(p.Alias.Password, fingerprint) {
		mask = MaskPassword
	}
	return p.Alias.Masked(mask)
}

// Observed is what a host has of one vhid.
type Observed struct {
	// Live is the vhid in the kernel, nil when the interface has none.
	Live *VHID
	// Persisted is its alias variable, nil when none configures it.
	Persisted *Persisted
	// CarpLoad is loader.conf's carp_load, "" when not assigned.
	CarpLoad string
}

// KeyMatches tells whether the live key is the one fingerprint was made of.
func (o Observed) KeyMatches(fingerprint string) bool {
	return o.Live != nil && o.Live.Key != "" && VerifyFingerprint(o.Live.Key, fingerprint)
}

// ErrInterfaceMissing reports an interface the host does not have.
var ErrInterfaceMissing = errors.New("no such interface")

// readLive is `ifconfig -k IF` (root sees the keys). Its output holds
// passwords, so a failure keeps only stderr.
func readLive(ctx context.Context, t host.Target, iface string) (Interface, error) {
	res, err := t.Run(ctx, host.Command{Argv: []string{"ifconfig", "-k", iface}})
	var ce *host.CommandError
	if errors.As(err, &ce) && strings.Contains(ce.Stderr, "interface "+iface+" does not exist") {
		return Interface{}, fmt.Errorf("%s: interface %s: %w", t.Name(), iface, ErrInterfaceMissing)
	}
	if err != nil {
		return Interface{}, withoutOutput(err)
	}
	ifs, err := ParseIfconfig(string(res.Stdout))
	if err != nil {
		return Interface{}, fmt.Errorf("%s: reading ifconfig %s: %w", t.Name(), iface, err)
	}
	for _, f := range ifs {
		if f.Name == iface {
			return f, nil
		}
	}
	return Interface{}, fmt.Errorf("%s: ifconfig %s printed no such interface", t.Name(), iface)
}

// Read returns what the host has of vhid on iface: live, persisted and
// carp_load. ErrNotFound when neither the kernel nor an rc file has it.
func Read(ctx context.Context, t host.Target, iface string, vhid int) (Observed, error) {
	var o Observed
	live, err := readLive(ctx, t, iface)
	if err != nil && !errors.Is(err, ErrInterfaceMissing) {
		return Observed{}, err
	}
	o.Live = live.Find(vhid)
	vars, err := readAliases(ctx, t)
	if err != nil {
		return Observed{}, err
	}
	found := findVHID(vars, iface, vhid)
	if len(found) > 0 {
		o.Persisted = persisted(found[0])
	}
	cl, err := rc.Get(ctx, t, rc.LoaderConf, LoaderVariable)
	switch {
	case err == nil:
		o.CarpLoad = cl.Value
	case !errors.Is(err, rc.ErrNotFound):
		return Observed{}, err
	}
	if o.Live == nil && o.Persisted == nil {
		return o, fmt.Errorf("%s: vhid %d on %s: %w", t.Name(), vhid, iface, ErrNotFound)
	}
	return o, nil
}

func persisted(v aliasVar) *Persisted {
	a, _, err := ParseAlias(v.Value)
	return &Persisted{File: v.File, Variable: v.Variable, Index: v.Index, Alias: a, Valid: err == nil}
}

// Apply makes the vhid live and persisted as declared: carp.ko loaded and
// in loader.conf, the vhid on the interface with exactly this address and
// these parameters, and one alias variable in a.RCFile. Everything that
// already matches is left alone, so that Apply after an interrupted Apply
// converges; a vhid or alias variable already there is adopted.
func Apply(ctx context.Context, t host.Target, a Address) error {
	if err := applyLive(ctx, t, a); err != nil {
		return err
	}
	if err := applyPersisted(ctx, t, a); err != nil {
		return err
	}
	_, err := rc.Set(ctx, t, rc.LoaderConf, LoaderVariable, "YES")
	return err
}

func applyLive(ctx context.Context, t host.Target, a Address) error {
	if _, err := t.Run(ctx, host.Command{Script: "kldstat -q -m carp || kldload carp"}); err != nil {
		return err
	}
	live, err := readLive(ctx, t, a.Interface)
	if err != nil {
		return err
	}
	v := live.Find(a.VHID)
	if v != nil && reprefix(ctx, t, a, v) {
		// The address went with its old prefix; with it the vhid, when it
		// carried no other.
		if live, err = readLive(ctx, t, a.Interface); err != nil {
			return err
		}
		v = live.Find(a.VHID)
	}
	if v != nil && (v.Advbase != a.Advbase || v.Advskew != a.Advskew || v.Key != a.Password) {
		if err := runWithPassword(ctx, t, a.Password, carpArgv(a, false)); err != nil {
			return err
		}
	}
	have := v != nil && hasPrefix(v.Addresses, a.Address)
	if !have {
		if err := runWithPassword(ctx, t, a.Password, carpArgv(a, true)); err != nil {
			return err
		}
	}
	if v == nil {
		return nil
	}
	var drop []string
	for _, p := range v.Addresses {
		if p.Addr() != a.Address.Addr() {
			drop = append(drop, host.Join([]string{"ifconfig", a.Interface, "inet", p.Addr().String(), "-alias"}))
		}
	}
	if len(drop) > 0 {
		_, err := t.Run(ctx, host.Command{Script: strings.Join(drop, " && ")})
		return err
	}
	return nil
}

// reprefix removes the declared address when the vhid carries it with
// another prefix length: re-adding it in place would detach it from the
// vhid first (in_aifaddr deletes an existing address), so it is removed
// and added again, which re-elects the vhid. It reports whether it did.
func reprefix(ctx context.Context, t host.Target, a Address, v *VHID) bool {
	for _, p := range v.Addresses {
		if p.Addr() == a.Address.Addr() && p != a.Address {
			_, err := t.Run(ctx, host.Command{Argv: []string{"ifconfig", a.Interface, "inet", p.Addr().String(), "-alias"}})
			return err == nil
		}
	}
	return false
}

func hasPrefix(ps []netip.Prefix, p netip.Prefix) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// carpArgv is the ifconfig command with "$pass" where the password goes:
// with the address to add it (and create the vhid), without to set the
// vhid's parameters only. The parameters go first: ifconfig sets the vhid
// (SIOCSVH) before it adds the address.
func carpArgv(a Address, withAddress bool) []string {
	argv := []string{"ifconfig", a.Interface}
	if withAddress {
		argv = append(argv, "inet")
	}
	argv = append(argv, "vhid", strconv.Itoa(a.VHID), "advbase", strconv.Itoa(a.Advbase),
		"advskew", strconv.Itoa(a.Advskew), "pass", passwordWord)
	if withAddress {
		argv = append(argv, a.Address.String(), "alias")
	}
	return argv
}

// passwordWord marks the argv word replaced by the password.
const passwordWord = "\x00pass"

// runWithPassword runs argv with the password read from standard input
// into a shell variable, so that it is in no command line sent over SSH
// (only in ifconfig's own argv on the host, for the instant it runs).
func runWithPassword(ctx context.Context, t host.Target, password string, argv []string) error {
	words := make([]string, len(argv))
	for i, w := range argv {
		if w == passwordWord {
			words[i] = `"$pass"`
			continue
		}
		words[i] = host.Quote(w)
	}
	script := "IFS= read -r pass || exit 1\n" + strings.Join(words, " ") + "\n"
	_, err := t.Run(ctx, host.Command{Script: script, Stdin: strings.NewReader(password + "\n"), Redact: []string{password}})
	return err
}

func applyPersisted(ctx context.Context, t host.Target, a Address) error {
	unlock, err := lockRCFiles(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	vars, err := readAliases(ctx, t)
	if err != nil {
		return err
	}
	found := findVHID(vars, a.Interface, a.VHID)
	if len(found) > 1 {
		names := make([]string, len(found))
		for i, f := range found {
			names[i] = f.File + ": " + f.Variable
		}
		return fmt.Errorf("%s: vhid %d on %s is configured by several alias variables (%s): remove all but one by hand",
			t.Name(), a.VHID, a.Interface, strings.Join(names, ", "))
	}
	want := a.alias().Render()
	if len(found) == 1 {
		cur := found[0]
		if cur.File == a.RCFile {
			if cur.Value == want {
				return nil
			}
			return setAlias(ctx, t, a.RCFile, cur.Variable, want)
		}
		// Moving to another file: out of the old one first (which renumbers
		// the aliases above it), then in at the first free index.
		if _, err := t.Run(ctx, host.Command{Script: removeAliasScript(aliasIndexes(vars, a.Interface), cur.Index)}); err != nil {
			return withoutOutput(err)
		}
		if vars, err = readAliases(ctx, t); err != nil {
			return err
		}
	}
	n := firstFree(aliasIndexes(vars, a.Interface))
	return setAlias(ctx, t, a.RCFile, AliasVariable(a.Interface, n), want)
}

func setAlias(ctx context.Context, t host.Target, file, variable, value string) error {
	_, err := t.Run(ctx, host.Command{Script: setAliasScript(file, variable), Stdin: strings.NewReader(value + "\n"),
		Redact: []string{value}})
	return withoutOutput(err)
}

// Remove takes the vhid off the interface (every address that carries
// it: carp(4) destroys the vhid with its last address) and its alias
// variable out of the rc files, renumbering the aliases above it. When no
// CARP alias is left in any rc file, carp_load goes too; carp.ko stays
// loaded (unloading a kernel module under a running system is not worth
// the risk). Nothing there is not an error.
func Remove(ctx context.Context, t host.Target, iface string, vhid int) error {
	live, err := readLive(ctx, t, iface)
	if err != nil && !errors.Is(err, ErrInterfaceMissing) {
		return err
	}
	if v := live.Find(vhid); v != nil && len(v.Addresses) > 0 {
		steps := make([]string, len(v.Addresses))
		for i, p := range v.Addresses {
			steps[i] = host.Join([]string{"ifconfig", iface, "inet", p.Addr().String(), "-alias"})
		}
		if _, err := t.Run(ctx, host.Command{Script: strings.Join(steps, " && ")}); err != nil {
			return err
		}
	}
	unlock, err := lockRCFiles(ctx, t)
	if err != nil {
		return err
	}
	vars, err := readAliases(ctx, t)
	if err == nil {
		if found := findVHID(vars, iface, vhid); len(found) > 0 {
			_, err = t.Run(ctx, host.Command{Script: removeAliasScript(aliasIndexes(vars, iface), found[0].Index)})
			err = withoutOutput(err)
			if err == nil {
				vars, err = readAliases(ctx, t)
			}
		}
	}
	unlock()
	if err != nil {
		return err
	}
	if !anyCARPAlias(vars) {
		return rc.Delete(ctx, t, rc.LoaderConf, LoaderVariable)
	}
	return nil
}
