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

// unsupportedOSDiag is raised at plan time when a resource does not apply
// to its host's operating system (f3s_sysrc on a Linux host).
func unsupportedOSDiag(resourceType, name string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root(hostAttributeName), "Unsupported Operating System",
		fmt.Sprintf("%s cannot act on host %q: %s. Point host at a host this resource applies to, or remove the resource.",
			resourceType, name, err))
}

// invalidImportIDDiag names the ID forms an import accepts.
func invalidImportIDDiag(id string, forms ...string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid Import ID",
		fmt.Sprintf("Import ID %q is not of the form %s.", id, strings.Join(forms, " or ")))
}

// missingSharedFileDiag is raised when a managed block or line is to go
// into a file that does not exist and create_file is false.
func missingSharedFileDiag(name, p string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Shared File Not Found",
		fmt.Sprintf("Host %q has no file %s, and create_file is false. Create the file first (or let this "+
			"resource create it with create_file = true).", name, p))
}

// crontabUnavailableDiag is raised at plan time when a host has no
// crontab(1), as a Rocky host without the cronie package.
func crontabUnavailableDiag(resourceType, name string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root(hostAttributeName), "Crontab Not Available",
		fmt.Sprintf("%s cannot act on host %q: %s. Install cron on the host, or use a systemd timer there.",
			resourceType, name, err))
}

// poolDestroyRefusedDiag is raised when a pool is to be destroyed while
// force_destroy is false.
func poolDestroyRefusedDiag(hostName, pool string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Refusing to Destroy ZFS Pool",
		fmt.Sprintf("Host %q: pool %q is not destroyed because force_destroy is false; zpool destroy would "+
			"destroy every dataset and all data on it. To destroy it, set force_destroy = true, apply, then destroy "+
			"(or replace) it again.", hostName, pool))
}

// poolReplaceWarningDiag warns at plan time that a change replaces a pool
// (a new layout or name) while force_destroy is false, so the apply will
// stop at the destroy.
func poolReplaceWarningDiag(at path.Path, hostName, pool string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(at, "ZFS Pool Replacement Will Be Refused",
		fmt.Sprintf("Changing %s cannot be done in place: it replaces pool %q on host %q, which destroys all data "+
			"on it. force_destroy is false, so the apply will refuse to destroy the pool. Revert the change, or set "+
			"force_destroy = true and apply before making it.", at, pool, hostName))
}

// datasetDestroyRefusedDiag is raised when a dataset to destroy has
// children or snapshots that no resource declared.
func datasetDestroyRefusedDiag(hostName, name string, below []string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Refusing to Destroy ZFS Dataset",
		fmt.Sprintf("Host %q: dataset %q is not destroyed because it has datasets or snapshots that are not "+
			"managed with it: %s. Destroy or declare them first, or set force_destroy = true (and apply) to destroy "+
			"them with the dataset (zfs destroy -r).", hostName, name, quoteList(below, 10)))
}

// datasetMissingDiag is raised when f3s_zfs_properties finds no dataset to
// manage: it never creates one.
func datasetMissingDiag(hostName, name string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("ZFS Dataset Not Found",
		fmt.Sprintf("Host %q has no dataset %q. f3s_zfs_properties manages properties of a dataset that "+
			"something else creates (zrepl, f3s_zfs_dataset); it never creates one. Create the dataset first, or "+
			"set wait_for_dataset to wait for it to arrive.", hostName, name))
}

// datasetWaitTimedOutDiag is raised when a dataset did not arrive within
// wait_for_dataset.
func datasetWaitTimedOutDiag(hostName, name, wait string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("ZFS Dataset Did Not Arrive",
		fmt.Sprintf("Host %q: dataset %q did not appear within wait_for_dataset (%s). Check that whatever "+
			"delivers it (for example zrepl replicating into it) runs, then apply again, or wait longer.",
			hostName, name, wait))
}

// createOnlyPropertyDiag is raised at plan time when a property that zfs
// only takes at creation changes on an existing dataset.
func createOnlyPropertyDiag(at path.Path, names []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "ZFS Property Cannot Change",
		fmt.Sprintf("%s: %s can only be set when the dataset is created, and zfs cannot change it later. Revert "+
			"the change, or recreate the dataset (terraform apply -replace=...), which destroys its data.",
			at, strings.Join(names, ", ")))
}

// zfsConfigDiag reports attributes that do not fit together.
func zfsConfigDiag(at path.Path, detail string) diag.Diagnostic {
	return invalidAttributeDiag(at, "Invalid ZFS Configuration", detail)
}

// zfsObjectMissingDiag is raised by a data source whose pool or dataset
// does not exist.
func zfsObjectMissingDiag(hostName, what, name string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("ZFS "+upperFirst(what)+" Not Found",
		fmt.Sprintf("Host %q has no %s %q. Check the name, or create it first.", hostName, what, name))
}
