package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/nfs"
)

// NFSExportResourceType is the Terraform type name of the f3s_nfs_export resource.
const NFSExportResourceType = TypeName + "_nfs_export"

var (
	_ resource.ResourceWithConfigure      = (*nfsExportResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*nfsExportResource)(nil)
	_ resource.ResourceWithImportState    = (*nfsExportResource)(nil)
	_ resource.ResourceWithValidateConfig = (*nfsExportResource)(nil)
)

type nfsExportResource struct {
	data *providerData
}

type nfsExportResourceModel struct {
	ID       types.String `tfsdk:"id"`
	Host     types.String `tfsdk:"host"`
	Path     types.String `tfsdk:"path"`
	V4Root   types.Bool   `tfsdk:"v4_root"`
	AllDirs  types.Bool   `tfsdk:"alldirs"`
	MapRoot  types.String `tfsdk:"maproot"`
	MapAll   types.String `tfsdk:"mapall"`
	ReadOnly types.Bool   `tfsdk:"read_only"`
	Sec      types.List   `tfsdk:"sec"`
	Hosts    types.List   `tfsdk:"hosts"`
	Network  types.String `tfsdk:"network"`
	Mask     types.String `tfsdk:"mask"`
	Line     types.String `tfsdk:"line"`
}

// NewNFSExportResource returns the f3s_nfs_export resource.
func NewNFSExportResource() resource.Resource {
	return &nfsExportResource{}
}

func (r *nfsExportResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = NFSExportResourceType
}

func (r *nfsExportResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One line of `/etc/exports` on a FreeBSD host: an export of a directory, or with " +
			"`v4_root = true` the NFSv4 root (`V4: /data/nfs -sec=sys`). The article's two lines are two resources.\n\n" +
			"The line is validated at plan time as `mountd` checks it (`check_options`: `-maproot` and `-mapall` " +
			"exclude each other, `-mask` needs `-network`, only `-sec`, `-network` and `-mask` on the V4 root, ...) " +
			"and written deterministically; every other line of the file stays as it is. The resource owns the " +
			"first line for its path (or the V4 root line), marked by nothing but its path, so a hand-written line " +
			"is adopted (by `terraform import` or by a create) and rewritten in place, never duplicated; " +
			"continuation lines (`\\`), option aliases (`-r`, `-net`) and `-opt value` spellings are read.\n\n" +
			"When the file changed and `mountd` runs, it is reloaded (`service mountd reload`) and syslog is read for " +
			"its verdict: a line mountd rejects (`bad exports list line ...`, for example `-alldirs` on a directory " +
			"that is no mount point) fails the apply with mountd's words, and the previous file is put back. A " +
			"stopped mountd (the CARP BACKUP node) reads the file when it starts.\n\n" +
			"The NFS services themselves (`nfs_server_enable`, `nfsv4_server_enable`, `mountd`, `rpcbind`, " +
			"`nfsuserd`) are `f3s_sysrc` and `f3s_service` resources; leave their `state` unset where the CARP " +
			"hook starts and stops them.\n\n" +
			"**Destroy** takes the line out of `/etc/exports` (every other line stays as it is) and reloads a " +
			"running mountd: clients lose the export; no data is touched.\n\n" +
			"Import ID: `HOST:PATH` for an export, `HOST:V4:PATH` for the V4 root (`f0:/data/nfs`, `f0:V4:/data/nfs`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID: `HOST:PATH` or `HOST:V4:PATH`.",
				Computed:            true,
			},
			"host": resourceHostAttribute(),
			"path": schema.StringAttribute{
				MarkdownDescription: "The exported directory (`/data/nfs`), or the NFSv4 root. Absolute, without white " +
					"space, quotes or `#`. It must exist on the host (mountd rejects the line otherwise). Changing it " +
					"rewrites the line in place.",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Export Path", "must be an absolute path", nfs.ValidatePath)},
			},
			"v4_root": schema.BoolAttribute{
				MarkdownDescription: "Make this the `V4:` line, the NFSv4 root: clients name paths relative to it " +
					"(with `V4: /data/nfs`, `/data/nfs/k3svolumes` is mounted as `/k3svolumes`). Only `sec`, `hosts`, " +
					"`network` and `mask` go with it. `false` by default; changing it replaces the resource.",
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(false),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"alldirs": schema.BoolAttribute{
				MarkdownDescription: "`-alldirs`: clients may mount any directory below `path`, which must then be a " +
					"file system's mount point (a ZFS dataset's). `false` by default.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"maproot": schema.StringAttribute{
				MarkdownDescription: "`-maproot=USER[:GROUP...]`: the credential remote root gets (`root` keeps root, as " +
					"the article). Excludes `mapall`.",
				Optional:   true,
				Validators: []validator.String{domainValidator("Invalid Credential", "must be user[:group...]", nfs.ValidateCredential)},
			},
			"mapall": schema.StringAttribute{
				MarkdownDescription: "`-mapall=USER[:GROUP...]`: the credential every remote user gets. Excludes `maproot`.",
				Optional:            true,
				Validators:          []validator.String{domainValidator("Invalid Credential", "must be user[:group...]", nfs.ValidateCredential)},
			},
			"read_only": schema.BoolAttribute{
				MarkdownDescription: "`-ro`: export read-only. `false` by default.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"sec": schema.ListAttribute{
				MarkdownDescription: "`-sec=`: the security flavors, in order of preference: `" + strings.Join(nfs.SecFlavors(), "`, `") + "`.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators: []validator.List{listvalidator.SizeBetween(1, 5), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(nfs.SecFlavors()...))},
			},
			"hosts": schema.ListAttribute{
				MarkdownDescription: "Hosts (names, addresses or netgroups) the line exports to. Excludes `network`; " +
					"with neither, the line exports to everyone.",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(domainValidator("Invalid Host", "must be a host name or address", nfs.ValidateHost))},
			},
			"network": schema.StringAttribute{
				MarkdownDescription: "`-network`: the network exported to, an address with `mask` (`127.0.0.1`, as the " +
					"article, where only stunnel connects) or with a `/len`.",
				Optional:   true,
				Validators: []validator.String{domainValidator("Invalid Network", "must be an address, optionally /len", nfs.ValidateNetwork)},
			},
			"mask": schema.StringAttribute{
				MarkdownDescription: "`-mask`: the netmask of `network` (`255.255.255.255`).",
				Optional:            true,
				Validators:          []validator.String{domainValidator("Invalid Mask", "must be a netmask", nfs.ValidateMask)},
			},
			"line": schema.StringAttribute{
				MarkdownDescription: "The line as it stands in `/etc/exports` (continuations joined).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *nfsExportResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// toDomain is the export the model describes; known is false while a
// value is unknown.
func (m nfsExportResourceModel) toDomain(ctx context.Context) (nfs.Export, bool, diag.Diagnostics) {
	sec, secKnown, diags := listStrings(ctx, m.Sec)
	hosts, hostsKnown, d := listStrings(ctx, m.Hosts)
	diags.Append(d...)
	for _, v := range []interface{ IsUnknown() bool }{m.Path, m.V4Root, m.AllDirs, m.MapRoot, m.MapAll, m.ReadOnly, m.Network, m.Mask} {
		if v.IsUnknown() {
			return nfs.Export{}, false, diags
		}
	}
	return nfs.Export{V4Root: m.V4Root.ValueBool(), Path: m.Path.ValueString(), AllDirs: m.AllDirs.ValueBool(),
		MapRoot: m.MapRoot.ValueString(), MapAll: m.MapAll.ValueString(), ReadOnly: m.ReadOnly.ValueBool(),
		Sec: sec, Hosts: hosts, Network: m.Network.ValueString(), Mask: m.Mask.ValueString()}, secKnown && hostsKnown, diags
}

func nfsExportID(hostName string, k nfs.Key) string {
	if k.V4Root {
		return hostScopedID(hostName, "V4", k.Path)
	}
	return hostScopedID(hostName, k.Path)
}

func (m *nfsExportResourceModel) fromDomain(hostName string, f nfs.Found) {
	e := f.Export
	m.ID = types.StringValue(nfsExportID(hostName, e.Key()))
	m.Host = types.StringValue(hostName)
	m.Path = types.StringValue(e.Path)
	m.V4Root = types.BoolValue(e.V4Root)
	m.AllDirs = types.BoolValue(e.AllDirs)
	m.MapRoot = optionalString(e.MapRoot)
	m.MapAll = optionalString(e.MapAll)
	m.ReadOnly = types.BoolValue(e.ReadOnly)
	m.Sec = stringList(e.Sec)
	m.Hosts = stringList(e.Hosts)
	m.Network = optionalString(e.Network)
	m.Mask = optionalString(e.Mask)
	m.Line = types.StringValue(f.Line)
}

func (r *nfsExportResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m nfsExportResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.V4Root.IsNull() {
		m.V4Root = types.BoolValue(false)
	}
	for _, b := range []*types.Bool{&m.AllDirs, &m.ReadOnly} {
		if b.IsNull() {
			*b = types.BoolValue(false)
		}
	}
	e, known, diags := m.toDomain(ctx)
	resp.Diagnostics.Append(diags...)
	if !known || resp.Diagnostics.HasError() {
		return
	}
	warnings, err := e.Validate()
	for _, w := range warnings {
		resp.Diagnostics.Append(nfsExportWarningDiag(path.Root("network"), w))
	}
	if err != nil {
		for _, e := range unjoin(err) {
			resp.Diagnostics.Append(invalidAttributeDiag(path.Root("path"), "Invalid NFS Export", strings.TrimSuffix(e.Error(), ".")))
		}
	}
}

// nfsOSCheck: /etc/exports and mountd are FreeBSD's.
func nfsOSCheck(info host.Info) error {
	if !info.IsFreeBSD() {
		return fmt.Errorf("NFS exports are managed on FreeBSD hosts (mountd, /etc/exports), and this host runs %q", info.OS)
	}
	return nil
}

func (r *nfsExportResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, NFSExportResourceType, nfsOSCheck)...)
	var plan nfsExportResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	e, known, diags := plan.toDomain(ctx)
	resp.Diagnostics.Append(diags...)
	if !known || plan.Host.IsUnknown() {
		plan.ID, plan.Line = types.StringUnknown(), types.StringUnknown()
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	plan.ID = types.StringValue(nfsExportID(plan.Host.ValueString(), e.Key()))
	plan.Line = types.StringValue(e.Render())
	if !req.State.Raw.IsNull() {
		// A hand-written line that says the same (aliases, -opt value)
		// is left as it is: only a change of meaning rewrites it.
		var prior nfsExportResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		if pe, ok, _ := prior.toDomain(ctx); ok && equalExports(pe, e) {
			plan.Line = prior.Line
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func equalExports(a, b nfs.Export) bool {
	return a.Render() == b.Render()
}

func (r *nfsExportResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan nfsExportResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.apply(ctx, &plan, nfs.Key{}, "create NFS export")...)
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

func (r *nfsExportResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior nfsExportResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prev := nfs.Key{V4Root: prior.V4Root.ValueBool(), Path: prior.Path.ValueString()}
	resp.Diagnostics.Append(r.apply(ctx, &plan, prev, "update NFS export")...)
	saveApplied(ctx, &resp.State, &resp.Diagnostics, plan.Host.ValueString(), &plan, r.readBack)
}

// apply writes the planned line (in place of prev's) and reads it back.
func (r *nfsExportResource) apply(ctx context.Context, plan *nfsExportResourceModel, prev nfs.Key, action string) diag.Diagnostics {
	hostName := plan.Host.ValueString()
	target, diags := r.data.target(hostName)
	if diags.HasError() {
		return diags
	}
	e, _, d := plan.toDomain(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	// A line that already says the same (adopted, or written before a
	// dropped connection) is kept as it stands.
	if found, err := nfs.Read(ctx, target, e.Key()); err == nil && found.Count == 1 && equalExports(found.Export, e) {
		plan.fromDomain(hostName, found)
		return diags
	}
	res, err := nfs.Apply(ctx, target, e, prev)
	if err != nil {
		diags.Append(hostErrorDiag(action, hostName, err))
		return diags
	}
	if len(res.Others) > 0 {
		diags.Append(nfsExportOthersRejectedDiag(hostName, res.Others))
	}
	found, err := nfs.Read(ctx, target, e.Key())
	if err != nil {
		diags.Append(hostErrorDiag(action, hostName, err))
		return diags
	}
	plan.fromDomain(hostName, found)
	return diags
}

// readBack records the line as the host has it after a failed apply.
func (r *nfsExportResource) readBack(ctx context.Context, m *nfsExportResourceModel) (bool, error) {
	target, diags := r.data.target(m.Host.ValueString())
	if diags.HasError() {
		return false, nil
	}
	k := nfs.Key{V4Root: m.V4Root.ValueBool(), Path: m.Path.ValueString()}
	found, err := nfs.Read(ctx, target, k)
	if errors.Is(err, nfs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.fromDomain(m.Host.ValueString(), found)
	return true, nil
}

func (r *nfsExportResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state nfsExportResourceModel
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
	k := nfs.Key{V4Root: state.V4Root.ValueBool(), Path: state.Path.ValueString()}
	found, err := nfs.Read(ctx, target, k)
	if errors.Is(err, nfs.ErrNotFound) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(nfsExportUnreadableDiag(hostName, err))
		return
	}
	if found.Count > 1 {
		resp.Diagnostics.Append(nfsExportDuplicateDiag(hostName, k.String(), found.Count))
	}
	state.fromDomain(hostName, found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *nfsExportResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state nfsExportResourceModel
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
	res, err := nfs.Delete(ctx, target, nfs.Key{V4Root: state.V4Root.ValueBool(), Path: state.Path.ValueString()})
	if err != nil {
		resp.Diagnostics.Append(hostErrorDiag("remove NFS export", hostName, err))
	}
	if len(res.Others) > 0 {
		resp.Diagnostics.Append(nfsExportOthersRejectedDiag(hostName, res.Others))
	}
}

// parseNFSExportID reads HOST:PATH and HOST:V4:PATH.
func parseNFSExportID(id string) (string, nfs.Key, bool) {
	hostName, rest, ok := parseHostScopedID(id)
	if !ok {
		return "", nfs.Key{}, false
	}
	k := nfs.Key{Path: rest}
	if p, isV4 := strings.CutPrefix(rest, "V4:"); isV4 {
		k = nfs.Key{V4Root: true, Path: p}
	}
	if !hostNamePattern.MatchString(hostName) || nfs.ValidatePath(k.Path) != nil {
		return "", nfs.Key{}, false
	}
	return hostName, k, true
}

func (r *nfsExportResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, k, ok := parseNFSExportID(req.ID)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:PATH (f0:/data/nfs)", "HOST:V4:PATH (f0:V4:/data/nfs)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), nfsExportID(hostName, k))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), k.Path)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("v4_root"), k.V4Root)...)
}
