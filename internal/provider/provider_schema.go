package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Environment variables read when neither a host nor defaults set the value.
const (
	envUser                 = "F3S_SSH_USER"
	envPrivateKeyFile       = "F3S_SSH_PRIVATE_KEY_FILE"
	envPrivateKey           = "F3S_SSH_PRIVATE_KEY"
	envPrivateKeyPassphrase = "F3S_SSH_PRIVATE_KEY_PASSPHRASE"
	envKnownHosts           = "F3S_SSH_KNOWN_HOSTS"
	envAgentSocket          = "SSH_AUTH_SOCK"
)

// Built-in values used when nothing else sets an attribute.
const (
	defaultUser           = "root"
	defaultKnownHostsFile = "~/.ssh/known_hosts"
	minMaxSessions        = 1
	maxMaxSessions        = 64
)

func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "The `f3s` provider builds and keeps an encrypted, highly available NFS storage " +
			"layout on FreeBSD hosts and Rocky Linux clients over SSH. Hosts are named once in `hosts`; " +
			"resources and data sources refer to them by name (`host = \"f0\"`). Connections are opened " +
			"on first use, one per host, and shared by every resource.",
		Attributes: map[string]schema.Attribute{
			"defaults": schema.SingleNestedAttribute{
				MarkdownDescription: "Connection settings shared by all hosts. Each host may override any of them.",
				Optional:            true,
				Attributes:          connectionAttributes(false),
			},
			"hosts": schema.MapNestedAttribute{
				MarkdownDescription: "The hosts this provider manages, by name. The name is what resources and " +
					"data sources give as `host`.",
				Optional: true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.RegexMatches(hostNamePattern,
						"must start with a letter or digit and contain only letters, digits, '-', '_' and '.'")),
				},
				NestedObject: schema.NestedAttributeObject{
					Attributes: hostAttributes(),
				},
			},
		},
	}
}

// hostAttributes are a host's own settings plus every connection setting.
func hostAttributes() map[string]schema.Attribute {
	attrs := connectionAttributes(true)
	attrs["address"] = schema.StringAttribute{
		MarkdownDescription: "Host name or IP address to connect to, without user or port " +
			"(`192.168.1.130`, `f0.lan`, `fd00::130`).",
		Required:   true,
		Validators: []validator.String{addressValidator{}},
	}
	attrs["host_key"] = schema.StringAttribute{
		MarkdownDescription: "The host's public key in `authorized_keys` format (`ssh-ed25519 AAAA...`), as " +
			"printed by `cat /etc/ssh/ssh_host_ed25519_key.pub` on the host. When set, the server must " +
			"present exactly this key and `known_hosts_file` is not consulted.",
		Optional: true,
		Validators: []validator.String{
			hostKeyValidator{},
			stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("insecure_ignore_host_key")),
		},
	}
	attrs["jump_host"] = schema.StringAttribute{
		MarkdownDescription: "Name of another host in `hosts` to tunnel through (like `ssh -J`). The jump " +
			"host's own settings are used to reach it; chains are allowed, cycles are not.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	return attrs
}

// connectionAttributes are the settings that defaults and hosts share.
func connectionAttributes(perHost bool) map[string]schema.Attribute {
	describe := func(s string) string {
		if perHost {
			return s + " Overrides the value in `defaults`."
		}
		return s
	}
	return map[string]schema.Attribute{
		"user": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("SSH user name. Environment variable `%s`; default `%s`.",
				envUser, defaultUser)),
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1), userValidator()},
		},
		"port": schema.Int64Attribute{
			MarkdownDescription: describe(fmt.Sprintf("SSH port (default `%d`).", host.DefaultPort)),
			Optional:            true,
			Validators:          []validator.Int64{int64validator.Between(1, 65535)},
		},
		"private_key_file": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("Path to a private key in OpenSSH or PEM format; `~` "+
				"expands to the home directory. Environment variable `%s`. Conflicts with `private_key` "+
				"at the same level.", envPrivateKeyFile)),
			Optional: true,
			Validators: []validator.String{
				existingFileValidator{},
				stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("private_key")),
			},
		},
		"private_key": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("A private key itself, in OpenSSH or PEM format, for "+
				"example from a secret store. Environment variable `%s`.", envPrivateKey)),
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{privateKeyValidator{}},
		},
		"private_key_passphrase": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("Passphrase of an encrypted private key. Environment "+
				"variable `%s`.", envPrivateKeyPassphrase)),
			Optional:  true,
			Sensitive: true,
		},
		"agent": schema.BoolAttribute{
			MarkdownDescription: describe(fmt.Sprintf("Authenticate with the keys of the ssh-agent at `%s`. "+
				"Default: `true` when `%s` is set and no private key is given, otherwise `false`.",
				envAgentSocket, envAgentSocket)),
			Optional: true,
		},
		"known_hosts_file": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("OpenSSH `known_hosts` file that must list the host's "+
				"key; `~` expands to the home directory. Used when `host_key` is not set. Environment "+
				"variable `%s`; default `%s`.", envKnownHosts, defaultKnownHostsFile)),
			Optional:   true,
			Validators: []validator.String{readableFileValidator{}},
		},
		"insecure_ignore_host_key": schema.BoolAttribute{
			MarkdownDescription: describe("Accept any host key without verification (default `false`). " +
				"Anyone on the network path can then impersonate the host: use it only for throw-away " +
				"test machines."),
			Optional: true,
		},
		"become": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("How commands gain root: %s (default `%s`). The user "+
				"needs password-less rights, e.g. `permit nopass <user>` in `doas.conf`. Ignored for `root`.",
				quotedList(host.BecomeValues()), host.BecomeNone)),
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(host.BecomeValues()...)},
		},
		"connect_timeout": schema.StringAttribute{
			MarkdownDescription: describe(fmt.Sprintf("Bound on TCP connect plus SSH handshake, as a Go "+
				"duration (`30s`, `1m`; default `%s`).", host.DefaultConnectTimeout)),
			Optional:   true,
			Validators: []validator.String{durationValidator{}},
		},
		"max_sessions": schema.Int64Attribute{
			MarkdownDescription: describe(fmt.Sprintf("Concurrent SSH sessions per connection, %d to %d "+
				"(default `%d`, OpenSSH's `MaxSessions`). Keep it at or below the server's `MaxSessions`.",
				minMaxSessions, maxMaxSessions, host.DefaultMaxSessions)),
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(minMaxSessions, maxMaxSessions)},
		},
	}
}

// quotedList renders values as `a`, `b` or `c` for descriptions.
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
