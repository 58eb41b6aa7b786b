package zfs

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// zfsUsage holds get_usage() of cmd/zfs/zfs_main.c (OpenZFS 2.2).
var zfsUsage = map[string]string{
	"create": "\tcreate [-Pnpuv] [-o property=value] ... <filesystem>\n" +
		"\tcreate [-Pnpsv] [-b blocksize] [-o property=value] ... -V <size> <volume>\n",
	"destroy": "\tdestroy [-fnpRrv] <filesystem|volume>\n" +
		"\tdestroy [-dnpRrv] <filesystem|volume>@<snap>[%<snap>][,...]\n" +
		"\tdestroy <filesystem|volume>#<bookmark>\n",
	"get": "\tget [-rHp] [-d max] [-o \"all\" | field[,...]]\n" +
		"\t    [-t type[,...]] [-s source[,...]]\n" +
		"\t    <\"all\" | property[,...]> [filesystem|volume|snapshot|bookmark] ...\n",
	"inherit": "\tinherit [-rS] <property> <filesystem|volume|snapshot> ...\n",
	"list": "\tlist [-Hp] [-r|-d max] [-o property[,...]] [-s property]...\n" +
		"\t    [-S property]... [-t type[,...]] [filesystem|volume|snapshot] ...\n",
	"mount": "\tmount\n\tmount [-flvO] [-o opts] <-a | filesystem>\n",
	"receive": "\treceive [-vMnsFhu] [-o <property>=<value>] ... [-x <property>] ...\n" +
		"\t    <filesystem|volume|snapshot>\n" +
		"\treceive [-vMnsFhu] [-o <property>=<value>] ... [-x <property>] ... \n" +
		"\t    [-d | -e] <filesystem>\n" +
		"\treceive -A <filesystem|volume>\n",
	"rename": "\trename [-f] <filesystem|volume|snapshot> <filesystem|volume|snapshot>\n" +
		"\trename -p [-f] <filesystem|volume> <filesystem|volume>\n" +
		"\trename -u [-f] <filesystem> <filesystem>\n" +
		"\trename -r <snapshot> <snapshot>\n",
	"rollback": "\trollback [-rRf] <snapshot>\n",
	"send": "\tsend [-DnPpRVvLecwhb] [-[i|I] snapshot] <snapshot>\n" +
		"\tsend [-DnVvPLecw] [-i snapshot|bookmark] <filesystem|volume|snapshot>\n" +
		"\tsend [-DnPpVvLec] [-i bookmark|snapshot] --redact <bookmark> <snapshot>\n" +
		"\tsend [-nVvPe] -t <receive_resume_token>\n" +
		"\tsend [-PnVv] --saved filesystem\n",
	"set":        "\tset <property=value> ... <filesystem|volume|snapshot> ...\n",
	"snapshot":   "\tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...\n",
	"unmount":    "\tunmount [-fu] <-a | filesystem|mountpoint>\n",
	"hold":       "\thold [-r] <tag> <snapshot> ...\n",
	"holds":      "\tholds [-rH] <snapshot> ...\n",
	"release":    "\trelease [-r] <tag> <snapshot> ...\n",
	"bookmark":   "\tbookmark <snapshot|bookmark> <newbookmark>\n",
	"load-key":   "\tload-key [-rn] [-L <keylocation>] <-a | filesystem|volume>\n",
	"unload-key": "\tunload-key [-r] <-a | filesystem|volume>\n",
	"change-key": "\tchange-key [-l] [-o keyformat=<value>]\n" +
		"\t    [-o keylocation=<value>] [-o pbkdf2iters=<value>]\n" +
		"\t    <filesystem|volume>\n" +
		"\tchange-key -i [-l] <filesystem|volume>\n",
	"version": "\tversion\n",
}

// zfsCommandOrder is the command table order of the full usage.
var zfsCommandOrder = []string{
	"version", "", "create", "destroy", "", "snapshot", "rollback", "", "rename", "bookmark", "",
	"list", "", "set", "get", "inherit", "", "mount", "unmount", "", "send", "receive", "",
	"hold", "holds", "release", "load-key", "unload-key", "change-key",
}

// writeZFSUsage prints zfs usage() for cmd ("" for the whole command).
func writeZFSUsage(w io.Writer, cmd string) {
	var b strings.Builder
	if cmd == "" {
		b.WriteString("usage: zfs command args ...\nwhere 'command' is one of the following:\n\n")
		for _, c := range zfsCommandOrder {
			if c == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(zfsUsage[c])
		}
		b.WriteString("\nEach dataset is of the form: pool/[dataset/]*dataset[@name]\n")
	} else {
		b.WriteString("usage:\n")
		b.WriteString(zfsUsage[cmd])
	}
	switch cmd {
	case "set", "get", "inherit", "list":
		b.WriteString("\nThe following properties are supported:\n")
		fmt.Fprintf(&b, "\n\t%-14s %s  %s   %s\n\n", "PROPERTY", "EDIT", "INHERIT", "VALUES")
		ordered := make([]*propDef, 0, len(props))
		for i := range props {
			ordered = append(ordered, &props[i])
		}
		sort.SliceStable(ordered, func(i, j int) bool {
			ri, rj := ordered[i].attr == attrReadonly, ordered[j].attr == attrReadonly
			if ri != rj {
				return ri
			}
			return ordered[i].name < ordered[j].name
		})
		for _, p := range ordered {
			fmt.Fprintf(&b, "\t%-15s ", p.name)
			if p.attr == attrReadonly || p.attr == attrOnetime || p.attr == attrOnetimeDefault {
				b.WriteString(" NO    ")
			} else {
				b.WriteString("YES    ")
			}
			if p.attr == attrInherit || p.attr == attrOnetime {
				b.WriteString("  YES   ")
			} else {
				b.WriteString("   NO   ")
			}
			b.WriteString(p.valuesHelp() + "\n")
		}
		b.WriteString("\nSizes are specified in bytes with standard units such as K, M, G, etc.\n")
		b.WriteString("\nUser-defined properties can be specified by using a name containing a colon (:).\n")
	default:
		b.WriteString("\nFor the property list, run: zfs set|get\n")
		b.WriteString("\nFor the delegated permission list, run: zfs allow|unallow\n")
	}
	_, _ = io.WriteString(w, b.String())
}

// valuesHelp approximates pd_values of the property table.
func (p *propDef) valuesHelp() string {
	switch {
	case p.name == "mounted":
		return "yes | no"
	case p.name == "canmount":
		return "on | off | noauto"
	case len(p.values) == 2 && p.values[0] == "off" && p.values[1] == "on":
		return "on | off"
	case p.date:
		return "<date>"
	case p.kind == kindIndex:
		return strings.Join(p.values, " | ")
	case p.kind == kindNumber && p.def == "none":
		return "<size> | none"
	case p.kind == kindNumber:
		return "<size>"
	case p.name == "mountpoint":
		return "<path> | legacy | none"
	}
	return "<string>"
}
