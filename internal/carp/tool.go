package carp

import (
	"context"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// DefaultToolPath is where the article installs its carp command.
const DefaultToolPath = "/usr/local/bin/carp"

// Tool is the carp management command: it shows every vhid's state,
// forces this node MASTER or BACKUP, and enables or disables
// auto-failback through the block file.
type Tool struct {
	Path      string
	BlockFile string
}

// Script is the command's text.
func (t Tool) Script() string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	b.WriteString("# carp: show and change the CARP state of this node.\n")
	b.WriteString(toolUsageComment)
	b.WriteString(generatedNote)
	renderSettings(&b, []setting{{"BLOCK_FILE", t.BlockFile}})
	b.WriteString(toolScriptBody)
	return b.String()
}

const toolUsageComment = `#   carp                         the state of every vhid on every interface
#   carp master [VHID]           make this node MASTER (of every vhid, or of VHID)
#   carp backup [VHID]           make this node BACKUP
#   carp auto-failback enable    allow automatic failback (removes the block file)
#   carp auto-failback disable   prevent automatic failback (creates the block file)
`

const toolScriptBody = `
# cron and devd run this with a short PATH (cron: /usr/bin:/bin): it is set
# here, and the programs of /sbin and /usr/sbin are named by their path.
PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin
export PATH

usage() {
	echo "Usage: carp [master [VHID] | backup [VHID] | auto-failback enable | auto-failback disable]"
	echo "  Without arguments: show the CARP state of every vhid"
	echo "  master: make this node CARP MASTER"
	echo "  backup: make this node CARP BACKUP"
	echo "  auto-failback enable: allow automatic failback (removes $BLOCK_FILE)"
	echo "  auto-failback disable: prevent automatic failback (creates $BLOCK_FILE)"
	exit 1
}

# vhids prints "IFACE VHID STATE" for every CARP vhid of every interface.
vhids() {
	for ifc in $(/sbin/ifconfig -l); do
		/sbin/ifconfig "$ifc" 2>/dev/null | awk -v ifc="$ifc" '$1 == "carp:" && $3 == "vhid" { print ifc, $4, $2 }'
	done
}

check_auto_failback() {
	if [ -e "$BLOCK_FILE" ]; then
		echo "WARNING: Auto-failback is DISABLED (file exists: $BLOCK_FILE)"
	fi
}

show() {
	list=$(vhids)
	if [ -z "$list" ]; then
		echo "Error: No CARP interface found"
		exit 1
	fi
	while read -r ifc vhid state; do
		echo "CARP state on $ifc (vhid $vhid): $state"
	done <<LIST
$list
LIST
	check_auto_failback
}

# set_state STATE [VHID]
set_state() {
	case "$2" in
	'' | [0-9] | [0-9][0-9] | [0-9][0-9][0-9]) ;;
	*) usage ;;
	esac
	list=$(vhids)
	status=0
	matched=
	while read -r ifc vhid state; do
		if [ -z "$vhid" ] || { [ -n "$2" ] && [ "$vhid" != "$2" ]; }; then
			continue
		fi
		matched=yes
		echo "Setting CARP vhid $vhid on $ifc to $1 (was $state)..."
		if ! /sbin/ifconfig "$ifc" vhid "$vhid" state "$1"; then
			status=1
		fi
	done <<LIST
$list
LIST
	if [ -z "$matched" ]; then
		echo "Error: No CARP vhid ${2:-at all} on this node"
		exit 1
	fi
	sleep 1
	show
	if [ "$1" = backup ] && [ ! -e "$BLOCK_FILE" ]; then
		echo "Note: where auto-failback runs, it makes this node MASTER again once its storage is ready;"
		echo "      'carp auto-failback disable' keeps it BACKUP."
	fi
	exit "$status"
}

case "$1" in
"")
	show
	;;
master | backup)
	set_state "$1" "$2"
	;;
auto-failback)
	case "$2" in
	enable)
		if [ -e "$BLOCK_FILE" ]; then
			rm -f "$BLOCK_FILE" && echo "Auto-failback ENABLED (removed $BLOCK_FILE)"
		else
			echo "Auto-failback was already enabled"
		fi
		;;
	disable)
		if [ ! -e "$BLOCK_FILE" ]; then
			touch "$BLOCK_FILE" && echo "Auto-failback DISABLED (created $BLOCK_FILE)"
		else
			echo "Auto-failback was already disabled"
		fi
		;;
	*)
		usage
		;;
	esac
	;;
*)
	usage
	;;
esac
`

func (t Tool) file() generated { return generated{t.Path, t.Script(), scriptMode} }

// ReadTool reports the condition of the command's file. ErrNotFound when
// it is missing.
func ReadTool(ctx context.Context, h host.Target, t Tool) (string, error) {
	s, err := t.file().status(ctx, h)
	if err == nil && s == StatusMissing {
		return s, fmt.Errorf("%s: %s: %w", h.Name(), t.Path, ErrNotFound)
	}
	return s, err
}

// ApplyTool writes the command.
func ApplyTool(ctx context.Context, h host.Target, t Tool) error {
	_, err := t.file().ensure(ctx, h)
	return err
}

// RemoveTool deletes the command. The block file stays.
func RemoveTool(ctx context.Context, h host.Target, t Tool) error {
	return h.Remove(ctx, t.Path)
}

// ImportTool reads the block file the command uses.
func ImportTool(ctx context.Context, h host.Target, p string) (Tool, error) {
	text, ok, err := readText(ctx, h, p)
	if err != nil {
		return Tool{}, err
	}
	if !ok {
		return Tool{}, fmt.Errorf("%s: %s: %w", h.Name(), p, ErrNotFound)
	}
	block, found := parseSettings(text)["BLOCK_FILE"]
	if !found {
		return Tool{}, fmt.Errorf("%s: %s has no BLOCK_FILE setting: it was not written by f3s_carp_tool", h.Name(), p)
	}
	return Tool{Path: p, BlockFile: block}, nil
}
