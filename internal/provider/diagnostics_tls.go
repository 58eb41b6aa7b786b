package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// The diagnostics of the NFS, PKI and stunnel resources.

func nfsExportWarningDiag(at path.Path, msg string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(at, "NFS Export Uses a Default Mask", upperFirst(msg)+".")
}

func nfsExportUnreadableDiag(hostName string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Read NFS Export",
		fmt.Sprintf("%s. The line is not one f3s_nfs_export can describe: edit it by hand (or remove it from state "+
			"and let the next apply write it).", onHost(hostName, err)))
}

func nfsExportDuplicateDiag(hostName, key string, n int) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Several NFS Export Lines for One Path",
		fmt.Sprintf("Host %q: /etc/exports has %d lines for %s; this resource manages the first of them. Merge or "+
			"remove the others, so that what mountd exports is what the plan shows.", hostName, n, key))
}

func nfsExportOthersRejectedDiag(hostName string, lines []string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("mountd Rejects Other Export Lines",
		fmt.Sprintf("Host %q: after the reload mountd logged that it rejects lines this resource does not manage: %s. "+
			"Fix them in /etc/exports.", hostName, quoteList(lines, 5)))
}

func stunnelConfigDiag(at path.Path, err error) diag.Diagnostic {
	return invalidAttributeDiag(at, "Invalid stunnel Configuration", strings.TrimSuffix(err.Error(), "."))
}

func stunnelCheckHostDiag() diag.Diagnostic {
	return invalidAttributeDiag(path.Root("check_host"), "Client Does Not Check the Server's Name",
		"a client that verifies the chain but not the server's name accepts any certificate of the CA as the "+
			"server, a client's too (the article's client misses this). Set check_host to the name in the server's "+
			"certificate (f3s-storage-ha.lan), or set verify_chain = false to verify nothing")
}

func stunnelUnparsedDiag(hostName, p string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("stunnel Configuration Not One Service",
		fmt.Sprintf("Host %q: %s cannot be read as one stunnel service (%v). The plan shows the file being rewritten "+
			"from the configuration.", hostName, p, err))
}

func pkiErrorDiag(action, hostName string, err error) diag.Diagnostic {
	return multiHostErrorDiag(action, firstNonEmpty(errorHost(err), hostName), err)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func pkiCAKeyLostDiag(warning bool, hostName, p string) diag.Diagnostic {
	detail := fmt.Sprintf("Host %q has no CA key at %s any more (or another file is there). Every certificate the CA "+
		"signed depends on that key: restore the file from a backup and apply again. Only allow_regenerate = true makes "+
		"a new CA, whose certificates every server and client then needs anew.", hostName, p)
	if warning {
		return diag.NewWarningDiagnostic("CA Key Lost", detail+" The apply will stop at this CA until then.")
	}
	return diag.NewErrorDiagnostic("CA Key Lost", detail)
}

func pkiCARegenerateDiag(hostName, p string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CA Will Be Regenerated",
		fmt.Sprintf("Host %q has no CA key at %s any more and allow_regenerate is true: the apply makes a new CA key and "+
			"certificate. Certificates signed by the old CA are re-issued by their resources in the same apply; clients "+
			"whose certificates are not managed here stop being accepted.", hostName, p))
}

func pkiKeyRegenerateDiag(p string, copies []string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Certificate Key Will Be Regenerated",
		fmt.Sprintf("No host has the key %s any more (%s): the apply makes a new key and issues the certificate for it.",
			p, strings.Join(copies, "; ")))
}

func pkiAdoptedDiag(what, where string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Existing Key Adopted",
		fmt.Sprintf("The %s found at %s was adopted instead of generating a new one.", what, where))
}

func pkiLeftDiag(left []string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Files Not Removed",
		fmt.Sprintf("These files hold something other than what this resource wrote, so they were left in place: %s.",
			strings.Join(left, ", ")))
}
