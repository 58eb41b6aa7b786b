package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/f3s-storage/terraform-provider-f3s/internal/carp"
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

// sentence starts an error's text as a sentence: its first letter is
// raised only when its first word is a plain lowercase word ("no host has
// ..."). A host name ("f0: ..."), a path or a dataset name stays as
// written, as configured.
func sentence(msg string) string {
	word, _, _ := strings.Cut(msg, " ")
	if word == "" || strings.Trim(word, "abcdefghijklmnopqrstuvwxyz") != "" {
		return msg
	}
	return upperFirst(msg)
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

// multiHostErrorDiag reports a failed operation that spans hosts (a ZFS key
// kept on several): the host the error names gets hostErrorDiag's
// treatment; an error of no single host is reported as it is.
func multiHostErrorDiag(action, hostName string, err error) diag.Diagnostic {
	if hostName != "" {
		return hostErrorDiag(action, hostName, err)
	}
	return diag.NewErrorDiagnostic("Unable to "+upperWords(action), sentence(err.Error())+".")
}

// zfsKeyConflictDiag is raised when the files at a key's path are not one
// key, or not the key the user supplied: nothing is overwritten.
func zfsKeyConflictDiag(action string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to "+upperWords(action),
		fmt.Sprintf("%s. Nothing was written: a key file is never overwritten with another key, as data encrypted "+
			"with it would become unreadable. Check which file is the key your datasets use, remove or rename the "+
			"others, and apply again (or choose another path).", sentence(err.Error())))
}

// zfsKeyLostDiag says that no host has a good copy of a key: as a plan
// warning, or as the error that stops the apply.
func zfsKeyLostDiag(warning bool, p, fp string, copies []string) diag.Diagnostic {
	detail := fmt.Sprintf("No host has the key with SHA-256 %s at %s (%s). Data encrypted with it cannot be "+
		"unlocked without it. If the key stick is not mounted, mount it; otherwise restore the file from a backup "+
		"to one of the hosts (root-owned, mode 0400) and apply again: the key is then copied to the others. Only if "+
		"the data is gone or expendable, set allow_regenerate = true to replace the key with a new one.",
		fp, p, strings.Join(copies, "; "))
	if warning {
		return diag.NewWarningDiagnostic("ZFS Key Lost", detail+" The apply will stop at this key until then.")
	}
	return diag.NewErrorDiagnostic("ZFS Key Lost", detail)
}

// zfsKeyRegenerateDiag warns that a lost key is replaced by a new one.
func zfsKeyRegenerateDiag(p, fp string, copies []string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("ZFS Key Will Be Regenerated",
		fmt.Sprintf("No host has the key with SHA-256 %s at %s (%s), and allow_regenerate is true: the apply "+
			"generates a new key. Data encrypted with the lost key stays unreadable. If a backup of the key exists, "+
			"set allow_regenerate = false and restore it instead.", fp, p, strings.Join(copies, "; ")))
}

// zfsKeyLostErrorDiag stops an apply that would need a key no host has.
func zfsKeyLostErrorDiag(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("ZFS Key Lost",
		fmt.Sprintf("%s. Data encrypted with it cannot be unlocked without it. If the key stick is not mounted, "+
			"mount it; otherwise restore the file from a backup to one of the hosts (root-owned, mode 0400) and "+
			"apply again: the key is then copied to the others. Only if the data is gone or expendable, set "+
			"allow_regenerate = true to replace the key with a new one.", sentence(err.Error())))
}

// zfsKeyInUseDiag is raised when a key's copy is to be deleted while a
// dataset names it as its keylocation.
func zfsKeyInUseDiag(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("ZFS Key In Use",
		fmt.Sprintf("%s. No copy was deleted: the dataset could not load its key at the next boot. Destroy the "+
			"dataset (or change its keylocation) first, or set keep_on_destroy = true and apply to leave the key "+
			"files in place when the resource goes.", sentence(err.Error())))
}

// zfsKeyLeftDiag warns about copies a removal left in place.
func zfsKeyLeftDiag(items []string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("ZFS Key Copies Left in Place",
		"These files were not deleted: "+strings.Join(items, "; ")+". A file that holds another key is never "+
			"deleted, nor one that a dataset loads its key from. Remove them by hand once they are not needed.")
}

// zfsKeyAdoptedDiag tells that create found the key in place and kept it.
func zfsKeyAdoptedDiag(hostName, p string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Existing ZFS Key Adopted",
		fmt.Sprintf("Host %q already had a key at %s; it was kept and copied to the other hosts, and no new key "+
			"was generated. If you meant a new key, remove the files and apply again.", hostName, p))
}

// keyDirectoryMissingDiag is raised when a key's directory does not exist.
func keyDirectoryMissingDiag(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Key Directory Not Found",
		fmt.Sprintf("%s. The directory is not created, so that a key never lands on the disk it protects when "+
			"the key stick is not mounted. Mount the key media first (f3s_key_media, referenced from path or in "+
			"depends_on), or create the directory.", sentence(err.Error())))
}

// zfsKeyMaterialIgnoredDiag warns that key_wo changed without its version.
func zfsKeyMaterialIgnoredDiag() diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("key_wo"), "ZFS Key Not Written",
		"key_wo is not the key on the hosts, but key_wo_version did not change, so it is not written. Change "+
			"key_wo_version to replace the key on every host (after zfs change-key, or the datasets using it "+
			"cannot load their key), or restore key_wo.")
}

// zfsKeyCopyWrongDiag is raised when a copy is not right after writing it.
func zfsKeyCopyWrongDiag(hostName, p, status string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Write ZFS Key",
		fmt.Sprintf("Host %q: %s is %s after writing it. Check the file system (read-only? full?) and apply again.",
			hostName, p, status))
}

// zfsKeyUnreachableDiag warns that copies on hosts no longer configured in
// the provider block cannot be removed.
func zfsKeyUnreachableDiag(hosts []string, p string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("ZFS Key Copies Not Removed",
		fmt.Sprintf("%s on %s was not removed: these hosts are no longer configured in the provider block. Remove "+
			"those copies by hand if they should go.", p, strings.Join(hosts, ", ")))
}

// keyMediaNoFilesystemDiag is raised when a key stick's device holds no
// UFS and may not be formatted.
func keyMediaNoFilesystemDiag(hostName string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Key Media Not Formatted",
		fmt.Sprintf("%s. Check that device names the key stick; to make a UFS file system on it with newfs, "+
			"which erases everything on it, set format = true (it takes effect on create only). A device that holds "+
			"UFS is never formatted.", onHost(hostName, err)))
}

// keyMediaDeviceInUseDiag is raised when a key stick's device holds
// someone's data (a pool's disk, a GELI provider): format does not apply.
func keyMediaDeviceInUseDiag(hostName string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Key Media Device In Use",
		fmt.Sprintf("%s. A device in use is never formatted or mounted as key media, whatever format says. Check "+
			"that device names the key stick (a USB stick such as /dev/da0), not a disk of a pool.", onHost(hostName, err)))
}

// keyMediaBusyDiag is raised when a key stick's device or mount point is
// taken by another mount.
func keyMediaBusyDiag(hostName string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Key Media In Use",
		fmt.Sprintf("%s. Unmount it first, or choose another device or mount_point.", onHost(hostName, err)))
}

// keyMediaNotMountedDiag is raised when the stick is not mounted after
// mounting it.
func keyMediaNotMountedDiag(hostName, device, mp string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Mount Key Media",
		fmt.Sprintf("Host %q: %s is not mounted on %s after mount %s. Check the device and /etc/fstab.",
			hostName, device, mp, mp))
}

// zreplConfigDiag reports a zrepl setting that does not fit the others. at
// may be empty when no attribute is to blame.
func zreplConfigDiag(at path.Path, detail string) diag.Diagnostic {
	if at.Equal(path.Empty()) {
		return diag.NewErrorDiagnostic("Invalid zrepl Configuration", detail+".")
	}
	return invalidAttributeDiag(at, "Invalid zrepl Configuration", detail)
}

// zreplNoJobsDiag is raised for an f3s_zrepl_config without job blocks.
func zreplNoJobsDiag() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid zrepl Configuration",
		"A zrepl configuration needs at least one job: add a push_job, sink_job, pull_job, source_job or snap_job block.")
}

// zreplParseWarningDiag warns that the zrepl.yml on a host no longer
// parses: the plan writes the declared configuration over it.
func zreplParseWarningDiag(hostName, p string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("zrepl Configuration Does Not Parse",
		fmt.Sprintf("Host %q: %s was changed outside Terraform and %s. The plan shows it as a change of "+
			"content_sha256; applying writes the declared configuration over it.", hostName, p, err))
}

// zreplImportParseDiag is raised when a zrepl.yml to import does not parse.
func zreplImportParseDiag(hostName, p string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Import zrepl Configuration",
		fmt.Sprintf("Host %q: %s: %s. Fix the file (zrepl configcheck), or declare the configuration and let "+
			"Terraform write it instead of importing it.", hostName, p, err))
}

// zreplJobNotFoundDiag is raised when a zrepl job named in a data source or
// a wakeup is not among the daemon's jobs.
func zreplJobNotFoundDiag(at path.Path, hostName string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "zrepl Job Not Found",
		fmt.Sprintf("%s. Check the job name against the zrepl configuration on the host, and that the daemon was "+
			"restarted after the configuration changed.", onHost(hostName, err)))
}

// zreplDeliveryDiag is raised when the replication a wakeup waited for
// failed or did not finish in time.
func zreplDeliveryDiag(hostName string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("zrepl Replication Did Not Complete",
		fmt.Sprintf("%s. Look at f3s_zrepl_status (or zrepl status --mode raw on the host) for the job's errors; a "+
			"longer wait_timeout helps when the first replication is large.", onHost(hostName, err)))
}

// readBackAfterFailureDiag warns that a failed apply could not be followed
// by reading the object, so state may not show every change made.
func readBackAfterFailureDiag(hostName string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Unable to Read Back After Failed Apply",
		fmt.Sprintf("An apply step failed and reading the object back afterwards failed too: %s. "+
			"Terraform's state may not show every change made on the host before the failure; "+
			"run terraform apply -refresh-only once the host answers.", onHost(hostName, err)))
}

// withDetail adds a paragraph to a diagnostic's detail, keeping its
// severity and summary.
func withDetail(d diag.Diagnostic, more string) diag.Diagnostic {
	detail := d.Detail() + "\n\n" + more
	if d.Severity() == diag.SeverityWarning {
		return diag.NewWarningDiagnostic(d.Summary(), detail)
	}
	return diag.NewErrorDiagnostic(d.Summary(), detail)
}

// createRecoveredDiag warns that a create whose outcome was unknown (or
// whose first read-back failed) turned out complete.
func createRecoveredDiag[M any](c creation[M], fail *createFailure) diag.Diagnostic {
	if fail.stage == stageRead && !host.OutcomeUnknown(fail.err) {
		return diag.NewWarningDiagnostic("Read Back After Create Retried",
			fmt.Sprintf("%s\n\nThe %s was created; reading it back failed once and succeeded the second time, "+
				"so it is saved in state as planned.", fail.diag.Detail(), c.what))
	}
	return diag.NewWarningDiagnostic("Connection Lost During Create",
		fmt.Sprintf("%s\n\nReading the %s back over a new connection shows that it was made as planned: the "+
			"command ran to its end and only its exit status was lost. It is saved in state; nothing is left to do.",
			fail.diag.Detail(), c.what))
}

// alreadyExistsText explains an object that was on the host before a
// create, and shows how to adopt it when the resource can be imported.
func alreadyExistsText[M any](c creation[M], asPlanned bool) string {
	var text string
	if asPlanned {
		text = fmt.Sprintf("A %s of this name already exists on host %q, as this configuration describes it. "+
			"Terraform does not take over what it did not create: to manage it with this resource, import it.", c.what, c.hostName)
	} else {
		text = fmt.Sprintf("A %s of this name already exists on host %q and is not as this configuration describes "+
			"it. Choose another name, or import it: the next plan then shows what differs.", c.what, c.hostName)
	}
	if c.importID == "" {
		return text
	}
	return text + fmt.Sprintf(" Add this block (with the resource's name in to) and run terraform apply, or run "+
		"terraform import with the same ID:\n\nimport {\n  to = %s.NAME\n  id = %q\n}", c.resourceType, c.importID)
}

// carpHookRunDiag warns that the control script, run by the apply for the
// vhid's current state, failed: the hook is in place, the node is not
// serving as its state says.
func carpHookRunDiag(hostName string, h carp.Hook, state string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CARP Control Script Failed",
		fmt.Sprintf("The hook is in place, but running it for the current state (%s) failed: %s. The host's syslog "+
			"(tag carpcontrol) says why; on MASTER a required dataset that is not mounted stops it. Fix that, then "+
			"run %s %s %s on the host, or wait for the next transition.", state, onHost(hostName, err), h.ScriptPath,
			h.Subsystem(), state))
}
