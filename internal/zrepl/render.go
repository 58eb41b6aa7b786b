package zrepl

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Render writes a valid configuration as zrepl.yml. The output is
// deterministic: keys in the order of the types in config.go, map entries
// sorted, two-space indentation, a blank line between the global section
// and the jobs and between jobs, and addresses, dataset names, paths and
// patterns in double quotes, as in zrepl's documentation and the article.
func Render(c *Config) ([]byte, error) {
	if err := Validate(c).Err(); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		return nil, err
	}
	style(&doc)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return spaceJobs(buf.Bytes()), nil
}

// quotedFields hold addresses, dataset names, paths and patterns.
var quotedFields = map[string]bool{
	"address": true, "listen": true, "root_fs": true, "ca": true, "cert": true, "key": true,
	"identity_file": true, "path": true, "regex": true, "grid": true, "cron": true,
}

// mapFields are Go maps: their keys are data (dataset filters, client
// addresses, property names), not field names.
var mapFields = map[string]bool{"filesystems": true, "clients": true, "override": true}

func style(n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case mapFields[k.Value] && v.Kind == yaml.MappingNode:
				for j := 0; j+1 < len(v.Content); j += 2 {
					quote(v.Content[j])
					if k.Value == "clients" {
						quote(v.Content[j+1])
					} else {
						style(v.Content[j+1])
					}
				}
			case quotedFields[k.Value] && v.Kind == yaml.ScalarNode:
				quote(v)
			default:
				style(v)
			}
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			style(c)
		}
	case yaml.ScalarNode:
		// A line break or control character in a plain scalar would make
		// the emitter choose a block scalar; keep every value on one line.
		if strings.ContainsFunc(n.Value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			quote(n)
		}
	}
}

func quote(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		n.Style = yaml.DoubleQuotedStyle
	}
}

// spaceJobs puts a blank line before "jobs:" and between jobs. With two
// spaces of indentation the jobs are the only items that start a line with
// "  - ": global's lists sit deeper, and every scalar is on one line.
func spaceJobs(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	var out strings.Builder
	inJobs, first := false, true
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "jobs:"):
			if i > 0 {
				out.WriteString("\n")
			}
			inJobs = true
		case inJobs && strings.HasPrefix(l, "  - "):
			if !first {
				out.WriteString("\n")
			}
			first = false
		}
		out.WriteString(l)
	}
	return []byte(out.String())
}
