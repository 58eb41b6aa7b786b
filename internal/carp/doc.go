// Package carp manages CARP (carp(4)) on FreeBSD hosts: a virtual address
// on an interface, applied live with ifconfig(8) and persisted as an
// rc.conf(5) ifconfig_IF_aliasN variable with carp_load in loader.conf;
// the devd(8) rule and control script that start services on MASTER and
// stop them on BACKUP; the primary's auto-failback script and its cron
// entry; the carp management command; and the state of each vhid as
// ifconfig reports it.
//
// It holds the argv and scripts, renders every generated file (the scripts
// pass shellcheck -s sh), parses ifconfig's and sysrc's output, and acts
// through host.Target; internal/provider maps the f3s_carp_* resources and
// the f3s_carp_state data source onto it.
//
// The CARP password never leaves the host in output that is logged, and
// never appears in a command line sent over SSH: it travels on the
// command's standard input. Terraform keeps only a salted, slow
// fingerprint of it (Fingerprint).
package carp

import "errors"

// ErrNotFound reports that a vhid, a hook or a failback setup is not on
// the host. Read removes the resource from state on it; Delete ignores it.
var ErrNotFound = errors.New("not found")
