package zfs

import (
	"fmt"
	"strings"
)

// sendLongOpts maps zfs send's long options to their letters.
var sendLongOpts = map[string]string{
	"--replicate": "-R", "--skip-missing": "-s", "--props": "-p", "--verbose": "-v", "--dryrun": "-n",
	"--parsable": "-P", "--large-block": "-L", "--embed": "-e", "--resume": "-t", "--compressed": "-c",
	"--raw": "-w", "--backup": "-b", "--holds": "-h", "--saved": "-S", "--dedup": "-D",
}

// cryptProps are the properties a stream carries in its encryption part.
var cryptProps = map[string]bool{"encryption": true, "keylocation": true, "keyformat": true, "pbkdf2iters": true}

func (e *env) zfsSend(args []string) int {
	norm := make([]string, 0, len(args))
	for _, a := range args {
		if s, ok := sendLongOpts[a]; ok {
			a = s
		}
		norm = append(norm, a)
	}
	opts, rest, oe := getopt(norm, ":i:I:RsDpvnPLeht:cwbd:S")
	if oe != nil {
		return e.badOpt("send", oe)
	}
	var from string
	var intermediate, raw, props, verbose, dryRun, replicate, parsable bool
	for _, o := range opts {
		switch o.c {
		case 'i':
			from = o.arg
		case 'I':
			from, intermediate = o.arg, true
		case 'w':
			raw = true
		case 'p':
			props = true
		case 'v':
			verbose = true
		case 'n':
			dryRun = true
		case 'R':
			replicate = true
		case 'P':
			parsable, verbose = true, true
		}
	}
	if len(rest) == 0 {
		e.errf("missing snapshot argument\n")
		return e.usage("send")
	}
	if len(rest) > 1 {
		e.errf("too many arguments\n")
		return e.usage("send")
	}
	if replicate {
		e.errf("lab: zfs send -R is not emulated\n")
		return 1
	}
	name := rest[0]
	c, err := e.load()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	n, ok := c.st.resolve(name)
	if !ok {
		e.errf("cannot open '%s': %s\n", name, missingText(name))
		return 1
	}
	if n.snap == nil {
		e.errf("cannot send '%s': operation not applicable to datasets of this type\n", name)
		return 1
	}
	p, ds := n.pool, n.ds
	if !e.p.User.IsRoot() {
		e.errf("warning: cannot send '%s': permission denied\n", name)
		return 1
	}
	if ds.Enc != nil && !raw {
		if props {
			e.errf("cannot send %s: encrypted dataset %s may not be sent with properties without the raw flag\n", name, ds.Name)
			return 1
		}
		if !p.keyLoaded(ds) {
			e.errf("warning: cannot send '%s': source key must be loaded\n", name)
			return 1
		}
	}
	st := &stream{Source: ds.Name, Type: ds.Type, VolSize: ds.VolSize, VolBlock: ds.VolBlock, Raw: raw}
	snaps := []*Snapshot{n.snap}
	if from != "" {
		base, msg := c.incrementalBase(n, from)
		if msg != "" {
			e.errf("%s\n", msg)
			return 1
		}
		st.From = &streamFrom{Name: base.name, GUID: base.guid}
		if intermediate {
			snaps = nil
			for _, s := range ds.Snapshots {
				if s.CreateTxg > base.txg && s.CreateTxg <= n.snap.CreateTxg {
					snaps = append(snaps, s)
				}
			}
		}
	}
	if props || raw {
		st.Props = map[string]string{}
		if props {
			for k, v := range ds.Local {
				if !cryptProps[k] {
					st.Props[k] = v
				}
			}
		}
	}
	if raw && ds.Enc != nil {
		r := p.encRoot(ds)
		st.Encryption = &streamCrypt{Suite: ds.Enc.Suite, Format: r.Enc.Format, KeyFP: r.Enc.KeyFP, Salt: r.Enc.Salt, Iters: r.Enc.Iters}
	}
	for _, s := range snaps {
		a, err := c.fsys.load(storeSnap, s.Store)
		if err != nil {
			e.errf("warning: cannot send '%s@%s': %v\n", ds.Name, s.Name, err)
			return 1
		}
		st.Snapshots = append(st.Snapshots, streamSnap{Name: s.Name, GUID: s.GUID, Creation: s.Creation, Refer: s.Refer, Hash: s.Hash, Files: *a})
	}
	if verbose {
		e.sendVerbose(st, ds.Name, from, dryRun, parsable)
	}
	if dryRun {
		return 0
	}
	data, err := st.encode()
	if err != nil {
		e.errf("internal error: %v\n", err)
		return 1
	}
	e.out.Write(data)
	return 0
}

// sendBase is the source of an incremental send.
type sendBase struct {
	name string
	guid uint64
	txg  uint64
}

// incrementalBase resolves -i/-I: "@snap", "DS@snap" or "DS#bookmark" of
// the sent snapshot's dataset, earlier than it.
func (c *ctx) incrementalBase(n node, from string) (sendBase, string) {
	full := from
	if strings.HasPrefix(from, "@") || strings.HasPrefix(from, "#") {
		full = n.ds.Name + from
	}
	dsName, short, sep := splitSnap(full)
	if sep == 0 {
		full = n.ds.Name + "@" + from
		dsName, short, sep = splitSnap(full)
	}
	if dsName != n.ds.Name {
		return sendBase{}, "incremental source must be in same filesystem"
	}
	var b sendBase
	if sep == '#' {
		bm := n.ds.bookmark(short)
		if bm == nil {
			return sendBase{}, "cannot open '" + full + "': dataset does not exist"
		}
		b = sendBase{short, bm.GUID, bm.CreateTxg}
	} else {
		s := n.ds.snapshot(short)
		if s == nil {
			return sendBase{}, "cannot open '" + full + "': dataset does not exist"
		}
		b = sendBase{short, s.GUID, s.CreateTxg}
	}
	if b.txg >= n.snap.CreateTxg {
		return sendBase{}, "cannot send '" + n.name() + "': incremental source (" + full + ") is not earlier than it"
	}
	return b, ""
}

// sendVerbose prints send_print_verbose's estimates: to stdout for a dry
// run, else to stderr.
func (e *env) sendVerbose(st *stream, dsName, from string, dryRun, parsable bool) {
	w := &e.errb
	if dryRun {
		w = &e.out
	}
	if from != "" && !strings.Contains(from, "@") && !strings.Contains(from, "#") {
		from = "@" + from
	}
	if strings.HasPrefix(from, "@") || strings.HasPrefix(from, "#") {
		from = dsName + from
	}
	var total uint64
	prev := from
	for _, s := range st.Snapshots {
		to := dsName + "@" + s.Name
		size := s.Files.sum().Bytes + 4096
		total += size
		switch {
		case parsable && prev != "":
			fmt.Fprintf(w, "incremental\t%s\t%s\t%d\n", prev, to, size)
		case parsable:
			fmt.Fprintf(w, "full\t%s\t%d\n", to, size)
		case prev != "":
			fmt.Fprintf(w, "send from %s to %s estimated size is %s\n", prev, to, nicebytes(size))
		default:
			fmt.Fprintf(w, "full send of %s estimated size is %s\n", to, nicebytes(size))
		}
		prev = to
	}
	if parsable {
		fmt.Fprintf(w, "size\t%d\n", total)
	} else {
		fmt.Fprintf(w, "total estimated size is %s\n", nicebytes(total))
	}
}
