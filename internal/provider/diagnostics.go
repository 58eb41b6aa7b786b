package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Every diagnostic the provider raises is built here, so that summaries stay
// consistent titles and details say what happened, where, and what to do.

const bugReport = "This is always a bug in the provider code and should be reported to the provider developers."

func providerBugDiag(format string, args ...any) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Bug", fmt.Sprintf("Unexpected "+format+". ", args...)+bugReport)
}

func unexpectedProviderDataDiag(v any) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unexpected Provider Data",
		fmt.Sprintf("The provider configured this resource or data source with a value of type %T. ", v)+bugReport)
}

func providerNotConfiguredDiag() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured",
		"The f3s provider was used before it was configured. "+bugReport)
}

func configuredNames(names []string) string {
	if len(names) == 0 {
		return "No hosts are configured: add them to hosts in the provider block."
	}
	return "Configured hosts: " + strings.Join(names, ", ") + "."
}

// unknownHostDiag is raised when a resource names a host that the provider
// block does not configure. at may be empty when no attribute is to blame.
func unknownHostDiag(at path.Path, name string, names []string) diag.Diagnostic {
	detail := fmt.Sprintf("Host %q is not configured in the f3s provider block. %s", name, configuredNames(names))
	if at.Equal(path.Empty()) {
		return diag.NewErrorDiagnostic("Unknown Host", detail)
	}
	return diag.NewAttributeErrorDiagnostic(at, "Unknown Host", detail)
}

func unknownJumpHostDiag(at path.Path, name string, names []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Unknown Jump Host",
		fmt.Sprintf("%s: %q is not a host in hosts. %s", at, name, configuredNames(names)))
}

func jumpHostCycleDiag(at path.Path, cycle []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Jump Host Cycle",
		fmt.Sprintf("%s: jump hosts form a cycle: %s. Reach one of these hosts directly (without jump_host).",
			at, strings.Join(cycle, " -> ")))
}

func noHostKeyPolicyDiag(at path.Path, file, from, problem string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "No Host Key Verification",
		fmt.Sprintf("%s has no host_key, and %s (%s) cannot be used: %s. Set host_key to the host's "+
			"public key, or list the host in a known_hosts file (ssh-keyscan, after checking the fingerprint) "+
			"and set known_hosts_file.", at, from, file, problem))
}

func hostNotReadyDiag(name, reason string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Host Configuration Not Known",
		fmt.Sprintf("Host %q cannot be used yet: %s. Apply the resources its settings depend on first "+
			"(terraform apply -target=...), then apply again.", name, reason))
}

// invalidAttributeDiag names the attribute in the text too: Terraform shows
// the path only as a highlighted source range, which a map entry makes vague.
func invalidAttributeDiag(at path.Path, summary, detail string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, summary, at.String()+": "+detail+".")
}

// invalidHostConfigDiag reports a problem the host package found in a
// resolved host configuration. what names the setting in the user's terms.
func invalidHostConfigDiag(at path.Path, what, msg string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Invalid Host Configuration", what+": "+msg+".")
}

// hostErrorDiag reports a failed operation on a host. A host key that cannot
// be verified and a command that could not even start (no connection) get
// their own summaries: what to do about them is not what to do about a
// failed command.
func hostErrorDiag(action, name string, err error) diag.Diagnostic {
	var hk *host.HostKeyError
	var te *host.TransportError
	switch {
	case errors.As(err, &hk):
		return diag.NewErrorDiagnostic("Unable to Verify Host Key",
			fmt.Sprintf("Trying to %s: %s.", action, onHost(name, err)))
	case errors.As(err, &te) && !te.MayHaveRun:
		return diag.NewErrorDiagnostic("Unable to Connect to Host",
			fmt.Sprintf("Trying to %s: %s. Check the host's address, port and credentials in the "+
				"provider block, and that sshd runs on it.", action, onHost(name, err)))
	default:
		return diag.NewErrorDiagnostic("Unable to "+upperWords(action), onHost(name, err)+".")
	}
}

// onHost prefixes the host's name unless the error (as the host package's
// errors do) already starts with it.
func onHost(name string, err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, name+":") || strings.HasPrefix(msg, fmt.Sprintf("host %q", name)) {
		return msg
	}
	return fmt.Sprintf("host %q: %s", name, msg)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// upperWords makes "read host information" the title "Read Host Information".
func upperWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = upperFirst(w)
	}
	return strings.Join(words, " ")
}
