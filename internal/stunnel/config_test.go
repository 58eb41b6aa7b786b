package stunnel

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The article's server and (Rocky) client configurations, as printed.
const (
	articleServer = `cert = /usr/local/etc/stunnel/server-cert.pem
key = /usr/local/etc/stunnel/server-key.pem

setuid = stunnel
setgid = stunnel

[nfs-tls]
accept = 192.168.1.138:2323
connect = 127.0.0.1:2049
CAfile = /usr/local/etc/stunnel/ca/ca-cert.pem
verify = 2
requireCert = yes
`
	articleClient = `cert = /etc/stunnel/r0-key.pem
CAfile = /etc/stunnel/ca-cert.pem
client = yes
verify = 2

[nfs-ha]
accept = 127.0.0.1:2323
connect = 192.168.1.138:2323
`
)

func TestParseArticle(t *testing.T) {
	f, err := Parse(articleServer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	s := c.Service
	if s.Name != "nfs-tls" || s.Client || s.Accept != "192.168.1.138:2323" || strings.Join(s.Connect, ",") != "127.0.0.1:2049" ||
		s.Cert != "/usr/local/etc/stunnel/server-cert.pem" || s.Key != "/usr/local/etc/stunnel/server-key.pem" ||
		s.CAFile != "/usr/local/etc/stunnel/ca/ca-cert.pem" || s.VerifyChain {
		t.Errorf("server service = %+v", s)
	}
	if s.Options["verify"] != "2" || s.Options["requireCert"] != "yes" || len(s.Options) != 2 {
		t.Errorf("server options = %v", s.Options)
	}
	if c.Global["setuid"] != "stunnel" || c.Global["setgid"] != "stunnel" || len(c.Global) != 2 || c.Pid != "" {
		t.Errorf("server globals = %v pid %q", c.Global, c.Pid)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("the article's server configuration is refused: %v", err)
	}

	f, err = Parse(articleClient)
	if err != nil {
		t.Fatal(err)
	}
	c, err = f.Config()
	if err != nil {
		t.Fatal(err)
	}
	if !c.Service.Client || c.Service.Cert != "/etc/stunnel/r0-key.pem" || c.Service.Key != "" || c.Service.Accept != "127.0.0.1:2323" {
		t.Errorf("client service = %+v", c.Service)
	}
}

func serverConfig() Config {
	return Config{Pid: FreeBSD.Pid, Global: map[string]string{"setuid": "stunnel", "setgid": "stunnel"},
		Service: Service{Name: "nfs-tls", Accept: "192.168.1.138:2323", Connect: []string{"127.0.0.1:2049"},
			Cert: "/usr/local/etc/stunnel/server-cert.pem", Key: "/usr/local/etc/stunnel/server-key.pem",
			CAFile: "/usr/local/etc/stunnel/ca-cert.pem", VerifyChain: true}}
}

func clientConfig() Config {
	return Config{Service: Service{Name: "nfs-ha", Client: true, Accept: "127.0.0.1:2323", Connect: []string{"192.168.1.138:2323"},
		Cert: "/etc/stunnel/r0-cert.pem", Key: "/etc/stunnel/r0-key.pem", CAFile: "/etc/stunnel/ca-cert.pem",
		VerifyChain: true, CheckHost: []string{"f3s-storage-ha.lan"}, Options: map[string]string{"TIMEOUTidle": "600"}}}
}

func TestRender(t *testing.T) {
	want := Header + `
pid = /var/run/stunnel.pid
setgid = stunnel
setuid = stunnel

[nfs-tls]
accept = 192.168.1.138:2323
connect = 127.0.0.1:2049
cert = /usr/local/etc/stunnel/server-cert.pem
key = /usr/local/etc/stunnel/server-key.pem
CAfile = /usr/local/etc/stunnel/ca-cert.pem
verifyChain = yes
`
	if got := serverConfig().Render(); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	for _, c := range []Config{serverConfig(), clientConfig()} {
		f, err := Parse(c.Render())
		if err != nil {
			t.Fatal(err)
		}
		back, err := f.Config()
		if err != nil {
			t.Fatal(err)
		}
		if back.Render() != c.Render() {
			t.Errorf("round trip:\n%s\nbecame\n%s", c.Render(), back.Render())
		}
	}
	client := clientConfig().Render()
	for _, l := range []string{"client = yes\n", "checkHost = f3s-storage-ha.lan\n", "cert = /etc/stunnel/r0-cert.pem\nkey = /etc/stunnel/r0-key.pem\n", "TIMEOUTidle = 600\n"} {
		if !strings.Contains(client, l) {
			t.Errorf("client configuration lacks %q:\n%s", l, client)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown global", func(c *Config) { c.Global["sertuid"] = "x" }, `"sertuid" is not a stunnel 5 option`},
		{"service option as global", func(c *Config) { c.Global["verify"] = "2" }, `"verify" is a service-level option`},
		{"global option in service", func(c *Config) { c.Service.Options = map[string]string{"foreground": "yes"} }, `"foreground" is a global option`},
		{"typed in options", func(c *Config) { c.Service.Options = map[string]string{"cafile": "/x"} }, "CAfile has its own setting"},
		{"yes/no", func(c *Config) { c.Service.Options = map[string]string{"requireCert": "true"} }, `requireCert: "true" must be yes or no`},
		{"verify level", func(c *Config) { c.Service.Options = map[string]string{"verify": "5"} }, "a level from 0 to 4"},
		{"port", func(c *Config) { c.Service.Accept = "192.168.1.138:70000" }, "port from 1 to 65535"},
		{"host", func(c *Config) { c.Service.Connect = []string{":2049"} }, "must be [HOST:]PORT"},
		{"relative cert", func(c *Config) { c.Service.Cert = "server.pem" }, "must be an absolute path"},
		{"newline", func(c *Config) { c.Global["setuid"] = "stunnel\n[evil]" }, "line break"},
		{"no cert", func(c *Config) { c.Service.Cert, c.Service.Key = "", "" }, "a server needs its certificate"},
		{"no CA", func(c *Config) { c.Service.CAFile = "" }, "verifyChain needs the CA certificate"},
		{"section", func(c *Config) { c.Service.Name = "nfs]" }, "is not a service name"},
		{"spelling", func(c *Config) { c.Service.Options = map[string]string{"timeoutidle": "60"} }, `spell it "TIMEOUTidle"`},
		{"pid as global", func(c *Config) { c.Global["pid"] = "/x" }, "pid is its own setting"},
		{"no accept", func(c *Config) { c.Service.Accept = "" }, "accept: a service needs"},
		{"no connect", func(c *Config) { c.Service.Connect = nil }, "connect: a service needs"},
	}
	if err := serverConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := clientConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		c := serverConfig()
		tt.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"cert /x\n", "No '=' found"},
		{"[a]\nforeground = yes\n", "not valid here"},
		{"bogus = 1\n", "not valid here"},
	} {
		_, err := Parse(tt.text)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q", tt.text, err, tt.want)
		}
	}
	f, _ := Parse("[a]\naccept = 1\nconnect = 2\n[b]\naccept = 3\nconnect = 4\n")
	if _, err := f.Config(); !errors.Is(err, ErrNotOneService) {
		t.Errorf("two sections: %v", err)
	}
}

func TestMissingScript(t *testing.T) {
	script := missingScript([]string{"/etc/stunnel/r0 cert.pem", "/etc/stunnel/r0-key.pem"})
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck is missing")
		}
		t.Skip("shellcheck is not installed")
	}
	p := filepath.Join(t.TempDir(), "s.sh")
	if err := os.WriteFile(p, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("shellcheck", "-s", "sh", p).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s\n%s", err, out, script)
	}
}
