package stunnel

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Config is a stunnel.conf with one service: what f3s_stunnel_service
// manages.
type Config struct {
	// Pid is the global pid option; "" writes none (stunnel's compiled-in
	// default applies).
	Pid string
	// Global are the other global options (setuid, setgid, debug, ...).
	Global map[string]string
	// Service is the one [section].
	Service Service
}

// Service is one [section] of stunnel.conf.
type Service struct {
	Name        string
	Client      bool
	Accept      string
	Connect     []string
	Cert        string
	Key         string
	CAFile      string
	VerifyChain bool
	CheckHost   []string
	// Options are the section's other options.
	Options map[string]string
}

// typed are the options Service has fields for: they cannot be given in
// Options or as global defaults of a parsed file that this model keeps.
var typed = []string{"client", "accept", "connect", "cert", "key", "CAfile", "verifyChain", "checkHost"}

// IsTyped tells whether an option has its own field (and attribute).
func IsTyped(name string) bool { return slices.Contains(typed, Canonical(name)) }

var sectionName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]*$`)

// ValidateServiceName accepts a section name: letters, digits, '_', '.',
// '@', '-', not starting with punctuation, at most 64 characters.
func ValidateServiceName(s string) error {
	if len(s) > 64 || !sectionName.MatchString(s) {
		return fmt.Errorf("%q is not a service name: use letters, digits, '_', '.', '@', '-', starting with a letter or digit", s)
	}
	return nil
}

// Validate checks the whole configuration; its errors name the option.
func (c Config) Validate() error {
	var errs []error
	if c.Pid != "" {
		errs = append(errs, ValidateValue("pid", c.Pid))
	}
	for k, v := range c.Global {
		if err := ValidateName(k, true); err != nil {
			errs = append(errs, err)
			continue
		}
		if Canonical(k) == "pid" {
			errs = append(errs, errors.New("pid is its own setting (pid_file), not a global option here"))
			continue
		}
		if Canonical(k) != k {
			errs = append(errs, fmt.Errorf("%q: spell it %q, as stunnel's documentation does", k, Canonical(k)))
			continue
		}
		errs = append(errs, ValidateValue(k, v))
	}
	s := c.Service
	errs = append(errs, ValidateServiceName(s.Name))
	if s.Accept == "" {
		errs = append(errs, errors.New("accept: a service needs an address to accept connections on"))
	} else {
		errs = append(errs, ValidateValue("accept", s.Accept))
	}
	if len(s.Connect) == 0 && s.Options["exec"] == "" && s.Options["redirect"] == "" {
		errs = append(errs, errors.New("connect: a service needs a place to connect to (connect, or exec in options)"))
	}
	for _, v := range s.Connect {
		errs = append(errs, ValidateValue("connect", v))
	}
	for _, p := range []struct{ name, v string }{{"cert", s.Cert}, {"key", s.Key}, {"CAfile", s.CAFile}} {
		if p.v != "" {
			errs = append(errs, ValidateValue(p.name, p.v))
		}
	}
	for _, h := range s.CheckHost {
		errs = append(errs, ValidateValue("checkHost", h))
	}
	if !s.Client && s.Cert == "" {
		errs = append(errs, errors.New("cert: a server needs its certificate (stunnel: \"SSL server needs a certificate\")"))
	}
	if s.Key != "" && s.Cert == "" {
		errs = append(errs, errors.New("key: a key without cert: give the certificate as well"))
	}
	if s.VerifyChain && s.CAFile == "" && s.Options["CApath"] == "" {
		errs = append(errs, errors.New("CAfile: verifyChain needs the CA certificate that signed the peer's (CAfile or CApath)"))
	}
	for k, v := range s.Options {
		if err := ValidateName(k, false); err != nil {
			errs = append(errs, err)
			continue
		}
		if IsTyped(k) {
			errs = append(errs, fmt.Errorf("%s has its own setting: set it there, not in the options", Canonical(k)))
			continue
		}
		if Canonical(k) != k {
			errs = append(errs, fmt.Errorf("%q: spell it %q, as stunnel's documentation does", k, Canonical(k)))
			continue
		}
		errs = append(errs, ValidateValue(k, v))
	}
	return errors.Join(errs...)
}

// Header is the first line of a rendered file.
const Header = "; Managed by Terraform (f3s_stunnel_service): edits here are overwritten."

// sortedKeys orders option names case-insensitively, as the rendering
// does, so that the same configuration is always the same text.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
	return keys
}

// Render writes the configuration as f3s_stunnel_service keeps it: the
// header, the global options (pid first, the rest by name), a blank line,
// the section with its typed options in a fixed order and the others by
// name. Option names are written in the documentation's spelling.
func (c Config) Render() string {
	var b strings.Builder
	b.WriteString(Header + "\n")
	opt := func(k, v string) { fmt.Fprintf(&b, "%s = %s\n", Canonical(k), v) }
	if c.Pid != "" {
		opt("pid", c.Pid)
	}
	for _, k := range sortedKeys(c.Global) {
		opt(k, c.Global[k])
	}
	s := c.Service
	fmt.Fprintf(&b, "\n[%s]\n", s.Name)
	if s.Client {
		opt("client", "yes")
	}
	opt("accept", s.Accept)
	for _, v := range s.Connect {
		opt("connect", v)
	}
	for _, p := range [][2]string{{"cert", s.Cert}, {"key", s.Key}, {"CAfile", s.CAFile}} {
		if p[1] != "" {
			opt(p[0], p[1])
		}
	}
	if s.VerifyChain {
		opt("verifyChain", "yes")
	}
	for _, h := range s.CheckHost {
		opt("checkHost", h)
	}
	for _, k := range sortedKeys(s.Options) {
		opt(k, s.Options[k])
	}
	return b.String()
}

// File is a parsed stunnel.conf: what any file holds, before it is read
// as one service.
type File struct {
	Global   []Option  // global options and service-level defaults, in order
	Sections []Section // in order
}

// Option is one name = value line.
type Option struct {
	Name, Value string
	Line        int
}

// Section is one [name] and its options.
type Section struct {
	Name    string
	Options []Option
	Line    int
}

// ParseError is a line stunnel would refuse, in stunnel's words.
type ParseError struct {
	Line int
	Text string
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %q: %s", e.Line, e.Text, e.Msg) }

// Parse reads stunnel.conf as stunnel's options_file does: blank lines and
// lines starting with ';' or '#' are skipped, "[name]" starts a section,
// every other line is "name = value" with the white space around both
// stripped. Names are checked for where they stand.
func Parse(text string) (File, error) {
	var f File
	var cur *Section
	for i, raw := range strings.Split(strings.TrimPrefix(text, "\ufeff"), "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		n := i + 1
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if line[0] == '[' && line[len(line)-1] == ']' {
			f.Sections = append(f.Sections, Section{Name: strings.TrimSpace(line[1 : len(line)-1]), Line: n})
			cur = &f.Sections[len(f.Sections)-1]
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return f, &ParseError{n, line, "No '=' found"}
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		o := Option{Name: k, Value: v, Line: n}
		if cur == nil {
			if !IsGlobal(k) && !IsService(k) {
				return f, &ParseError{n, line, "Specified option name is not valid here"}
			}
			f.Global = append(f.Global, o)
			continue
		}
		if !IsService(k) {
			return f, &ParseError{n, line, "Specified option name is not valid here"}
		}
		cur.Options = append(cur.Options, o)
	}
	return f, nil
}

// ErrNotOneService means a file does not hold exactly one service, so it
// is not one f3s_stunnel_service describes.
var ErrNotOneService = errors.New("the file does not hold exactly one service")

// Config reads a parsed file as one service, the way stunnel applies it:
// service-level options in the global section are defaults that the
// section inherits (the article writes cert and key there) and the
// section's own options override them.
func (f File) Config() (Config, error) {
	if len(f.Sections) != 1 {
		names := make([]string, len(f.Sections))
		for i, s := range f.Sections {
			names[i] = s.Name
		}
		return Config{}, fmt.Errorf("%w: it has %d sections %v", ErrNotOneService, len(f.Sections), names)
	}
	c := Config{Global: map[string]string{}}
	var service []Option
	for _, o := range f.Global {
		switch {
		case Canonical(o.Name) == "pid":
			c.Pid = o.Value
		case IsGlobal(o.Name):
			c.Global[Canonical(o.Name)] = o.Value
		default:
			service = append(service, o)
		}
	}
	sec := f.Sections[0]
	// A section's own value of a single-valued option replaces the default.
	own := map[string]bool{}
	for _, o := range sec.Options {
		own[Canonical(o.Name)] = true
	}
	var opts []Option
	for _, o := range service {
		if !own[Canonical(o.Name)] {
			opts = append(opts, o)
		}
	}
	opts = append(opts, sec.Options...)
	s := Service{Name: sec.Name, Options: map[string]string{}}
	for _, o := range opts {
		switch Canonical(o.Name) {
		case "client":
			s.Client = strings.EqualFold(o.Value, "yes")
		case "accept":
			s.Accept = o.Value
		case "connect":
			s.Connect = append(s.Connect, o.Value)
		case "cert":
			s.Cert = o.Value
		case "key":
			s.Key = o.Value
		case "CAfile":
			s.CAFile = o.Value
		case "verifyChain":
			s.VerifyChain = strings.EqualFold(o.Value, "yes")
		case "checkHost":
			s.CheckHost = append(s.CheckHost, o.Value)
		default:
			s.Options[Canonical(o.Name)] = o.Value
		}
	}
	c.Service = s
	return c, nil
}
