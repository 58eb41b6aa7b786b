package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// secretFieldKeys are log field names whose values are always masked.
var secretFieldKeys = []string{"private_key", "private_key_passphrase", "passphrase", "password", "stdin"}

// hostLogger adapts tflog to host.Logger. The host package logs with the
// context of the resource operation in progress, so masking is applied on
// every call rather than once in Configure.
type hostLogger struct {
	secrets []string
}

func newHostLogger(secrets []string) hostLogger {
	var s []string
	for _, v := range secrets {
		if v != "" {
			s = append(s, v)
		}
	}
	return hostLogger{secrets: s}
}

func (l hostLogger) mask(ctx context.Context) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	if len(l.secrets) > 0 {
		ctx = tflog.MaskMessageStrings(ctx, l.secrets...)
		ctx = tflog.MaskAllFieldValuesStrings(ctx, l.secrets...)
	}
	return ctx
}

func (l hostLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}
