package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/pki"
	"github.com/f3s-storage/terraform-provider-f3s/internal/stunnel"
)

// StunnelServiceResourceType is the Terraform type name of the f3s_stunnel_service resource.
const StunnelServiceResourceType = TypeName + "_stunnel_service"

var (
	_ resource.ResourceWithConfigure      = (*stunnelServiceResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*stunnelServiceResource)(nil)
	_ resource.ResourceWithImportState    = (*stunnelServiceResource)(nil)
	_ resource.ResourceWithValidateConfig = (*stunnelServiceResource)(nil)
)

type stunnelServiceResource struct {
	data *providerData
}

type stunnelServiceResourceModel struct {
	ID              types.String `tfsdk:"id"`
	Host            types.String `tfsdk:"host"`
	ConfigPath      types.String `tfsdk:"config_path"`
	Name            types.String `tfsdk:"name"`
	Mode            types.String `tfsdk:"mode"`
	Accept          types.String `tfsdk:"accept"`
	Connect         types.List   `tfsdk:"connect"`
	Cert            types.String `tfsdk:"cert"`
	Key             types.String `tfsdk:"key"`
	CAFile          types.String `tfsdk:"ca_file"`
	VerifyChain     types.Bool   `tfsdk:"verify_chain"`
	CheckHost       types.List   `tfsdk:"check_host"`
	Options         types.Map    `tfsdk:"options"`
	GlobalOptions   types.Map    `tfsdk:"global_options"`
	PidFile         types.String `tfsdk:"pid_file"`
	RestartOnChange types.Bool   `tfsdk:"restart_on_change"`
	Content         types.String `tfsdk:"content"`
}

// The modes of a service.
const (
	stunnelServer = "server"
	stunnelClient = "client"
)

// NewStunnelServiceResource returns the f3s_stunnel_service resource.
func NewStunnelServiceResource() resource.Resource {
	return &stunnelServiceResource{}
}

func (r *stunnelServiceResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = StunnelServiceResourceType
}

func pathValidator(summary string) validator.String {
	return domainValidator(summary, "must be an absolute path", pki.ValidatePath)
}

func (r *stunnelServiceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The whole `stunnel.conf` of a host, holding one TLS service: the article's server " +
			"(`[nfs-tls]` on the CARP VIP's port 2323, forwarding to `127.0.0.1:2049`, clients' certificates " +
			"verified against the CA) or a client (`[nfs-ha]` with `client = yes`, its own certificate and key, the " +
			"server's chain and name checked). FreeBSD's port reads `/usr/local/etc/stunnel/stunnel.conf` (rc.d), " +
			"Rocky's package `/etc/stunnel/stunnel.conf` (systemd).\n\n" +
			"Option names and values are checked at plan time against stunnel 5's documentation (global or " +
			"service-level, yes/no values, `[HOST:]PORT`, absolute paths, verify levels). The file is rendered " +
			"deterministically (shown in `content`); a file changed by hand shows as a change of `content`. The " +
			"article's client is fixed: it names its key as `cert` and never checks the server's name; here a " +
			"client has `cert` and `key`, and must set `check_host` while it verifies the chain.\n\n" +
			"When the file changed, a running stunnel is restarted (`service stunnel onerestart`, `systemctl " +
			"restart stunnel`); a stopped one stays stopped, so the CARP hook keeps deciding where stunnel runs. " +
			"If stunnel refuses the new file, the previous one is put back and stunnel restarted on it. stunnel " +
			"reads certificates and keys when it starts, before it drops to `setuid`, so root-owned keys of mode " +
			"0400 serve it (a reload by SIGHUP would read them as the unprivileged user: this resource restarts " +
			"instead). Whether stunnel is enabled and running is an `f3s_service` (`stunnel`); on FreeBSD the " +
			"default `pid_file` is the one rc.d checks.\n\n" +
			"**Destroy** deletes the configuration file; a running stunnel keeps the configuration it read until " +
			"it is stopped or restarted (stop it with `f3s_service`).\n\n" +
			"Import ID: `HOST:CONFIG_PATH` (`f0:/usr/local/etc/stunnel/stunnel.conf`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID: `HOST:CONFIG_PATH`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": resourceHostAttribute(),
			"config_path": schema.StringAttribute{
				MarkdownDescription: "The configuration file: by default `" + stunnel.FreeBSD.ConfigPath + "` on FreeBSD, " +
					"`" + stunnel.Linux.ConfigPath + "` on Linux. Another path needs the service manager told " +
					"(`stunnel_config` in rc.conf). Changing it replaces the resource.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{pathValidator("Invalid Path")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The service section's name (`nfs-tls`).",
				Required:            true,
				Validators:          []validator.String{domainValidator("Invalid Service Name", "must be a section name", stunnel.ValidateServiceName)},
			},
			"mode": schema.StringAttribute{
				MarkdownDescription: "`server` (accepts TLS, connects in clear: the NFS servers) or `client` " +
					"(`client = yes`: accepts in clear, connects with TLS: the NFS clients).",
				Required:   true,
				Validators: []validator.String{stringvalidator.OneOf(stunnelServer, stunnelClient)},
			},
			"accept": schema.StringAttribute{
				MarkdownDescription: "`accept`: where the service listens, `[HOST:]PORT` (`192.168.1.138:2323` on the " +
					"servers, `127.0.0.1:2323` on a client).",
				Required:   true,
				Validators: []validator.String{optionValueValidator("accept")},
			},
			"connect": schema.ListAttribute{
				MarkdownDescription: "`connect`: where connections go, `[HOST:]PORT` (`127.0.0.1:2049` on the servers, " +
					"the VIP's `192.168.1.138:2323` on a client); several for failover.",
				Required:    true,
				ElementType: types.StringType,
				Validators:  []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(optionValueValidator("connect"))},
			},
			"cert": schema.StringAttribute{
				MarkdownDescription: "`cert`: this side's certificate file (required for a server; a client presents it " +
					"for mutual TLS). An `f3s_pki_certificate`'s `cert_path`.",
				Optional:   true,
				Validators: []validator.String{pathValidator("Invalid Certificate Path")},
			},
			"key": schema.StringAttribute{
				MarkdownDescription: "`key`: the private key of `cert` (stunnel reads it from `cert` when unset).",
				Optional:            true,
				Validators:          []validator.String{pathValidator("Invalid Key Path")},
			},
			"ca_file": schema.StringAttribute{
				MarkdownDescription: "`CAfile`: the CA certificate the peer's certificate must chain to.",
				Optional:            true,
				Validators:          []validator.String{pathValidator("Invalid CA File Path")},
			},
			"verify_chain": schema.BoolAttribute{
				MarkdownDescription: "`verifyChain = yes`: verify the peer's certificate chain up to `ca_file`; on a " +
					"server it also requires a client certificate (stunnel: it implies `requireCert`), as the article's " +
					"`verify = 2` and `requireCert = yes` do. `true` by default.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"check_host": schema.ListAttribute{
				MarkdownDescription: "`checkHost`: the names the peer's certificate must carry. A client that verifies " +
					"the chain must set it to the server certificate's name (`f3s-storage-ha.lan`).",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(domainValidator("Invalid Host Name", "must be a DNS name", pki.ValidateDNSName))},
			},
			"options": schema.MapAttribute{
				MarkdownDescription: "Other service-level options by name (`TIMEOUTidle = \"600\"`, `verify = \"2\"`, " +
					"`requireCert = \"yes\"`, `sslVersionMin = \"TLSv1.2\"`); not those that have their own attribute.",
				Optional:    true,
				ElementType: types.StringType,
			},
			"global_options": schema.MapAttribute{
				MarkdownDescription: "Global options by name: `setuid = \"stunnel\"`, `setgid = \"stunnel\"` (the article's, " +
					"dropping privileges after start-up), `debug`, `output`, ...; not `pid` (see `pid_file`).",
				Optional:    true,
				ElementType: types.StringType,
			},
			"pid_file": schema.StringAttribute{
				MarkdownDescription: "`pid`: by default `" + stunnel.FreeBSD.Pid + "` on FreeBSD, where the rc.d script " +
					"looks for it (stunnel's own default there is `/var/tmp/stunnel.pid`), and none on Linux; `\"\"` " +
					"writes none.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.Any(stringvalidator.OneOf(""), pathValidator("Invalid Pid File"))},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"restart_on_change": schema.BoolAttribute{
				MarkdownDescription: "Restart a running stunnel when the file changed. `true` by default.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"content": schema.StringAttribute{
				MarkdownDescription: "The file as rendered (as read from the host, after a refresh).",
				Computed:            true,
			},
		},
	}
}

// optionValueValidator checks a value as stunnel's parser would.
func optionValueValidator(name string) validator.String {
	return domainValidator("Invalid stunnel Option", "must be a valid "+name+" value", func(v string) error {
		return stunnel.ValidateValue(name, v)
	})
}

func (r *stunnelServiceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// toDomain is the configuration the model describes; known is false while
// a value is unknown. pid is the platform's default when unset.
func (m stunnelServiceResourceModel) toDomain(ctx context.Context) (stunnel.Config, bool, diag.Diagnostics) {
	connect, k1, diags := listStrings(ctx, m.Connect)
	check, k2, d := listStrings(ctx, m.CheckHost)
	diags.Append(d...)
	opts, d := stringMap(ctx, m.Options)
	diags.Append(d...)
	globals, d := stringMap(ctx, m.GlobalOptions)
	diags.Append(d...)
	known := k1 && k2 && !m.Options.IsUnknown() && !m.GlobalOptions.IsUnknown()
	for _, v := range []interface{ IsUnknown() bool }{m.Name, m.Mode, m.Accept, m.Cert, m.Key, m.CAFile, m.VerifyChain, m.PidFile} {
		known = known && !v.IsUnknown()
	}
	c := stunnel.Config{Pid: m.PidFile.ValueString(), Global: globals, Service: stunnel.Service{
		Name: m.Name.ValueString(), Client: m.Mode.ValueString() == stunnelClient, Accept: m.Accept.ValueString(),
		Connect: connect, Cert: m.Cert.ValueString(), Key: m.Key.ValueString(), CAFile: m.CAFile.ValueString(),
		VerifyChain: m.VerifyChain.ValueBool(), CheckHost: check, Options: opts}}
	return c, known, diags
}

func (m *stunnelServiceResourceModel) fromDomain(c stunnel.Config) {
	s := c.Service
	m.Name = types.StringValue(s.Name)
	m.Mode = types.StringValue(stunnelServer)
	if s.Client {
		m.Mode = types.StringValue(stunnelClient)
	}
	m.Accept = types.StringValue(s.Accept)
	m.Connect = stringList(s.Connect)
	m.Cert = optionalString(s.Cert)
	m.Key = optionalString(s.Key)
	m.CAFile = optionalString(s.CAFile)
	m.VerifyChain = types.BoolValue(s.VerifyChain)
	m.CheckHost = stringList(s.CheckHost)
	m.Options = mapValue(nilIfEmpty(s.Options))
	m.GlobalOptions = mapValue(nilIfEmpty(c.Global))
	m.PidFile = types.StringValue(c.Pid)
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func (r *stunnelServiceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m stunnelServiceResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.VerifyChain.IsNull() {
		m.VerifyChain = types.BoolValue(true)
	}
	c, known, diags := m.toDomain(ctx)
	resp.Diagnostics.Append(diags...)
	if !known || resp.Diagnostics.HasError() {
		return
	}
	if c.Service.Client && c.Service.VerifyChain && len(c.Service.CheckHost) == 0 {
		resp.Diagnostics.Append(stunnelCheckHostDiag())
	}
	if err := c.Validate(); err != nil {
		for _, e := range unjoin(err) {
			resp.Diagnostics.Append(stunnelConfigDiag(stunnelErrorPath(e.Error()), e))
		}
	}
}

// stunnelErrorPath is the attribute an error of Config.Validate is about.
func stunnelErrorPath(msg string) path.Path {
	for prefix, attr := range map[string]string{"accept:": "accept", "connect:": "connect", "cert:": "cert",
		"key:": "key", "CAfile:": "ca_file", "pid": "pid_file"} {
		if strings.HasPrefix(msg, prefix) {
			return path.Root(attr)
		}
	}
	if strings.Contains(msg, "global option") || strings.Contains(msg, "service-level option, not a global") {
		return path.Root("global_options")
	}
	return path.Root("options")
}

func stunnelOSCheck(info host.Info) error {
	_, err := stunnel.PlatformOf(info)
	return err
}

func (r *stunnelServiceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, StunnelServiceResourceType, stunnelOSCheck)...)
	var plan stunnelServiceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if (plan.ConfigPath.IsUnknown() || plan.PidFile.IsUnknown()) && !plan.Host.IsUnknown() {
		if p, ok := r.platform(ctx, plan.Host.ValueString()); ok {
			if plan.ConfigPath.IsUnknown() {
				plan.ConfigPath = types.StringValue(p.ConfigPath)
			}
			if plan.PidFile.IsUnknown() {
				plan.PidFile = types.StringValue(p.Pid)
			}
		}
	}
	plan.ID, plan.Content = types.StringUnknown(), types.StringUnknown()
	if !plan.Host.IsUnknown() && !plan.ConfigPath.IsUnknown() {
		plan.ID = types.StringValue(hostScopedID(plan.Host.ValueString(), plan.ConfigPath.ValueString()))
	}
	if c, known, _ := plan.toDomain(ctx); known {
		plan.Content = types.StringValue(c.Render())
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// platform is the host's stunnel platform; ok is false when the host
// cannot be asked yet (its settings are unknown).
func (r *stunnelServiceResource) platform(ctx context.Context, hostName string) (stunnel.Platform, bool) {
	if r.data == nil {
		return stunnel.Platform{}, false
	}
	if _, deferred := r.data.deferred[hostName]; deferred {
		return stunnel.Platform{}, false
	}
	t, diags := r.data.target(hostName)
	if diags.HasError() {
		return stunnel.Platform{}, false
	}
	info, err := t.Info(ctx)
	if err != nil {
		return stunnel.Platform{}, false
	}
	p, err := stunnel.PlatformOf(info)
	return p, err == nil
}

func (r *stunnelServiceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan stunnelServiceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.apply(ctx, &plan, "create stunnel service")...)
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

func (r *stunnelServiceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan stunnelServiceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.apply(ctx, &plan, "update stunnel service")...)
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

func (r *stunnelServiceResource) apply(ctx context.Context, plan *stunnelServiceResourceModel, action string) diag.Diagnostics {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags
	}
	info, err := target.Info(ctx)
	if err != nil {
		diags.Append(hostErrorDiag(action, hostName, err))
		return diags
	}
	p, err := stunnel.PlatformOf(info)
	if err != nil {
		diags.Append(hostErrorDiag(action, hostName, err))
		return diags
	}
	c, _, d := plan.toDomain(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	if _, err := stunnel.Apply(ctx, target, p, plan.ConfigPath.ValueString(), c, plan.RestartOnChange.ValueBool()); err != nil {
		diags.Append(hostErrorDiag(action, hostName, err))
		return diags
	}
	plan.ID = types.StringValue(hostScopedID(hostName, plan.ConfigPath.ValueString()))
	plan.Content = types.StringValue(c.Render())
	return diags
}

// readBack records the file as the host has it after a failed apply.
func (r *stunnelServiceResource) readBack(ctx context.Context, m *stunnelServiceResourceModel) (bool, error) {
	target, diags := r.data.target(m.Host.ValueString())
	if diags.HasError() {
		return false, nil
	}
	text, found, err := stunnel.Read(ctx, target, m.ConfigPath.ValueString())
	if err != nil || !found {
		return false, err
	}
	m.ID = types.StringValue(hostScopedID(m.Host.ValueString(), m.ConfigPath.ValueString()))
	_ = m.fromText(text) // a file that is not one service shows as a change of content
	return true, nil
}

// fromText takes the file as read: its text, and the settings it holds
// when it reads as one service (otherwise they stay as they were, and the
// content shows the difference).
func (m *stunnelServiceResourceModel) fromText(text string) error {
	m.Content = types.StringValue(text)
	f, err := stunnel.Parse(text)
	if err != nil {
		return err
	}
	c, err := f.Config()
	if err != nil {
		return err
	}
	m.fromDomain(c)
	return nil
}

func (r *stunnelServiceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state stunnelServiceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	text, found, err := stunnel.Read(ctx, target, state.ConfigPath.ValueString())
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("read stunnel service", hostName, err))
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	if err := state.fromText(text); err != nil {
		resp.Diagnostics.Append(stunnelUnparsedDiag(hostName, state.ConfigPath.ValueString(), err))
	}
	if state.RestartOnChange.IsNull() {
		state.RestartOnChange = types.BoolValue(true)
	}
	state.ID = types.StringValue(hostScopedID(hostName, state.ConfigPath.ValueString()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *stunnelServiceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state stunnelServiceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := stunnel.Remove(ctx, target, state.ConfigPath.ValueString()); err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove stunnel service", hostName, err))
	}
}

func (r *stunnelServiceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, p, ok := parseHostScopedID(req.ID)
	if !ok || !hostNamePattern.MatchString(hostName) || pki.ValidatePath(p) != nil {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:CONFIG_PATH (f0:/usr/local/etc/stunnel/stunnel.conf)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), hostScopedID(hostName, p))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("config_path"), p)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restart_on_change"), true)...)
}
