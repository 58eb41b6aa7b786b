package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/crypto/ssh"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

var hostNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func userValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`^[^\s@:]+$`), "must not contain white space, '@' or ':'")
}

// hostRule asks the host package whether one attribute's value is
// acceptable, so that plan-time validation and the pool never disagree.
func hostRule(cfg host.Config, attribute string) string {
	var ce *host.ConfigError
	for _, err := range unjoin(cfg.Validate()) {
		if errors.As(err, &ce) && ce.Attribute == attribute {
			return ce.Message
		}
	}
	return ""
}

// unjoin splits an errors.Join result into its parts.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

type addressValidator struct{}

func (addressValidator) Description(context.Context) string {
	return "must be a host name or IP address without user, port or scheme"
}

func (v addressValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (addressValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	a := req.ConfigValue.ValueString()
	if strings.Contains(a, "://") {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid Host Address",
			fmt.Sprintf("%q must not include a scheme: give the host name or IP address only", a)))
		return
	}
	if msg := hostRule(host.Config{Address: a}, "address"); msg != "" {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid Host Address", msg))
	}
}

type hostKeyValidator struct{}

func (hostKeyValidator) Description(context.Context) string {
	return "must be an SSH public key in authorized_keys format"
}

func (v hostKeyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (hostKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := hostRule(host.Config{HostKey: req.ConfigValue.ValueString()}, "host_key"); msg != "" {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid Host Key", msg))
	}
}

// privateKeyValidator checks that a key parses. An encrypted key passes: its
// passphrase may come from defaults or the environment, and Configure checks
// the pair.
type privateKeyValidator struct{}

func (privateKeyValidator) Description(context.Context) string {
	return "must be a private key in OpenSSH or PEM format"
}

func (v privateKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (privateKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkPrivateKey([]byte(req.ConfigValue.ValueString())); msg != "" {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid Private Key", msg))
	}
}

// checkPrivateKey never quotes the key in its message.
func checkPrivateKey(pem []byte) string {
	_, err := ssh.ParseRawPrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	if err == nil || errors.As(err, &missing) {
		return ""
	}
	return "not a private key in OpenSSH or PEM format (" + err.Error() + ")"
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive Go duration such as 30s or 1m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDuration(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid Duration", err.Error()))
	}
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 30s or 1m", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be positive", s)
	}
	return d, nil
}

// existingFileValidator requires a regular file at the (~-expanded) path.
type existingFileValidator struct{}

func (existingFileValidator) Description(context.Context) string {
	return "must name an existing file"
}

func (v existingFileValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (existingFileValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkFile(req.ConfigValue.ValueString(), false); msg != "" {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid File", msg))
	}
}

// readableFileValidator requires a file this process can open for reading.
type readableFileValidator struct{}

func (readableFileValidator) Description(context.Context) string {
	return "must name a readable file"
}

func (v readableFileValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (readableFileValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkFile(req.ConfigValue.ValueString(), true); msg != "" {
		resp.Diagnostics.Append(invalidAttributeDiag(req.Path, "Invalid File", msg))
	}
}

// checkFile describes what is wrong with the file at p, or returns "".
func checkFile(p string, mustRead bool) string {
	full, err := expandHome(p)
	if err != nil {
		return err.Error()
	}
	st, err := os.Stat(full)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("%s does not exist", full)
	case err != nil:
		return err.Error()
	case !st.Mode().IsRegular():
		return fmt.Sprintf("%s is not a regular file", full)
	}
	if mustRead {
		f, err := os.Open(full)
		if err != nil {
			return fmt.Sprintf("%s is not readable: %v", full, err)
		}
		_ = f.Close()
	}
	return ""
}
