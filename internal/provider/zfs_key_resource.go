package provider

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfskey"
)

// ZFSKeyResourceType is the Terraform type name of the f3s_zfs_key resource.
const ZFSKeyResourceType = TypeName + "_zfs_key"

var (
	_ resource.ResourceWithConfigure   = (*zfsKeyResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*zfsKeyResource)(nil)
	_ resource.ResourceWithImportState = (*zfsKeyResource)(nil)
)

type zfsKeyResource struct {
	data *providerData
}

type zfsKeyResourceModel struct {
	ID              types.String `tfsdk:"id"`
	Hosts           types.List   `tfsdk:"hosts"`
	Path            types.String `tfsdk:"path"`
	Mode            types.String `tfsdk:"mode"`
	Owner           types.String `tfsdk:"owner"`
	Group           types.String `tfsdk:"group"`
	KeyWO           types.String `tfsdk:"key_wo"`
	KeyWOVersion    types.Int64  `tfsdk:"key_wo_version"`
	KeepOnDestroy   types.Bool   `tfsdk:"keep_on_destroy"`
	AllowRegenerate types.Bool   `tfsdk:"allow_regenerate"`
	Fingerprint     types.String `tfsdk:"fingerprint"`
	Copies          types.Map    `tfsdk:"copies"`
}

// NewZFSKeyResource returns the f3s_zfs_key resource.
func NewZFSKeyResource() resource.Resource {
	return &zfsKeyResource{}
}

func (r *zfsKeyResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZFSKeyResourceType
}

func (r *zfsKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A raw ZFS encryption key (`keyformat=raw`: 32 bytes) in a file at `path` on every host " +
			"in `hosts`: the article's `openssl rand -out /keys/f0.lan.buetow.org:zdata.key 32`, copied to the other " +
			"nodes' `/keys` as a backup. The key is generated once on the first host from its own random source " +
			"(`dd if=/dev/random`), or taken from `key_wo`, and every copy is written atomically, root-owned, mode " +
			"`0400`.\n\n" +
			"**The key never enters the Terraform state, the plan or the logs.** It travels from host to host " +
			"through the provider's memory and the SSH streams only, never in a command line. The state keeps its " +
			"SHA-256 `fingerprint` and, in `copies`, the condition of each host's copy, so a plan shows a copy that " +
			"is missing, holds other bytes, or has the wrong mode or owner, and the apply puts the same key back " +
			"(read from a host that still has it).\n\n" +
			"Adding a host copies the existing key to it; it never makes a new one. Changing `path` moves the same " +
			"key. An existing file at `path` is never overwritten on create: when the hosts' files there are one " +
			"key, that key is adopted; otherwise the apply stops.\n\n" +
			"**A new key makes data encrypted with the old one unreadable.** When no host has the key any more " +
			"(the key stick not mounted, the files deleted) the plan warns and the apply stops, so that you can " +
			"restore a copy from a backup. Only with `allow_regenerate = true` is a lost key replaced by a new one.\n\n" +
			"Destroying the resource (or removing a host from `hosts`) deletes the copies, but only files that hold " +
			"this key, and never a copy that a dataset on that host names as its `keylocation` (destroy the " +
			"dataset first, or set `keep_on_destroy = true` to leave the files).\n\n" +
			"Put the keys on the key stick (`f3s_key_media`, referenced or in `depends_on`): the directory of " +
			"`path` must exist, it is not created.\n\n" +
			"Import ID: `HOSTS:PATH`, the hosts comma-separated (`f0,f1,f2:/keys/f0.lan.buetow.org:zdata.key`). " +
			"The import verifies that the hosts' files are one key of 32 bytes and records its fingerprint; the key " +
			"itself is not read.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOSTS:PATH` (`f0,f1,f2:/keys/f0.lan.buetow.org:zdata.key`).",
				Computed:            true,
			},
			"hosts": schema.ListAttribute{
				MarkdownDescription: "Names of the hosts that keep a copy, as configured in the provider's `hosts`. The " +
					"first one generates the key. Adding a host copies the same key to it; removing one deletes its " +
					"copy (see `keep_on_destroy`). A name that is not configured fails at plan time.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(hostNamePattern,
						"must be a host name as configured in the provider's hosts")),
				},
			},
			"path": schema.StringAttribute{
				MarkdownDescription: "Absolute path of the key file on every host (`/keys/f0.lan.buetow.org:zdata.key`); " +
					"what a dataset names as `keylocation = \"file://PATH\"`. No white space. Changing it moves the " +
					"same key to the new path.",
				Required: true,
				Validators: []validator.String{domainValidator("Invalid Key Path",
					"must be an absolute path without white space", zfskey.ValidatePath)},
			},
			"mode": schema.StringAttribute{
				MarkdownDescription: "Permission bits of every copy, in octal, `\"" + zfskey.DefaultMode + "\"` by default. " +
					"Modes that let other users in (`0644`) are refused.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(zfskey.DefaultMode),
				Validators: []validator.String{domainValidator("Invalid Mode", `must be an octal mode such as "0400"`, zfskey.ValidateMode)},
			},
			"owner": schema.StringAttribute{
				MarkdownDescription: "The owning user of every copy, `" + zfskey.DefaultOwner + "` by default.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(zfskey.DefaultOwner),
				Validators:          []validator.String{accountValidator("Invalid Owner")},
			},
			"group": schema.StringAttribute{
				MarkdownDescription: "The owning group of every copy. Unset, the group is not managed (a new copy gets " +
					"root's group: `wheel` on FreeBSD).",
				Optional:   true,
				Validators: []validator.String{accountValidator("Invalid Group")},
			},
			"key_wo": schema.StringAttribute{
				MarkdownDescription: "Your own key instead of a generated one, write-only (Terraform 1.11+): 32 bytes as " +
					"64 hex digits or in base64 (`openssl rand -base64 32`). Never stored in the plan or the state. It " +
					"is written when the resource is created and whenever `key_wo_version` changes; **changing the key " +
					"of a dataset's keylocation file without `zfs change-key` makes the dataset's data unreadable at its " +
					"next key load**.",
				Optional:  true,
				WriteOnly: true,
				Sensitive: true,
				Validators: []validator.String{domainValidator("Invalid Key", "must be 32 bytes in hex or base64",
					func(s string) error { _, err := zfskey.ParseMaterial(s); return err })},
			},
			"key_wo_version": schema.Int64Attribute{
				MarkdownDescription: "A number to change whenever `key_wo` changes, so that the new key is written to " +
					"every host.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("key_wo"))},
			},
			"keep_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "Leave the key files on the hosts when the resource is destroyed, its path changes " +
					"or a host leaves `hosts`: Terraform forgets them instead. `false` by default.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"allow_regenerate": schema.BoolAttribute{
				MarkdownDescription: "When no host has the key any more, plan a new key instead of stopping. **Data " +
					"encrypted with the lost key stays unreadable**; set this only when that data is gone or " +
					"expendable. `false` by default.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"fingerprint": schema.StringAttribute{
				MarkdownDescription: "SHA-256 of the key, in hex (what `sha256 -q PATH` prints): how a changed or " +
					"missing copy is told apart. It reveals nothing of the key.",
				Computed: true,
			},
			"copies": schema.MapAttribute{
				MarkdownDescription: "The condition of each host's copy: `ok`, `missing`, `content differs`, " +
					"`mode 0644 (want 0400)`, `owner paul (want root)`, .... A plan shows the copies it repairs.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (r *zfsKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// zfsKeyID is the import ID: HOSTS:PATH.
func zfsKeyID(hosts []string, p string) string {
	return strings.Join(hosts, ",") + ":" + p
}

// parseZFSKeyID splits HOSTS:PATH at the first colon (host names hold
// none; the article's paths do).
func parseZFSKeyID(id string) (hosts []string, p string, ok bool) {
	list, p, found := strings.Cut(id, ":")
	if !found || zfskey.ValidatePath(p) != nil {
		return nil, "", false
	}
	hosts = strings.Split(list, ",")
	for i, h := range hosts {
		if !hostNamePattern.MatchString(h) || slices.Contains(hosts[:i], h) {
			return nil, "", false
		}
	}
	return hosts, p, true
}

// hostNames reads the hosts list; ok is false while it is unknown.
func (m zfsKeyResourceModel) hostNames(ctx context.Context) ([]string, bool, diag.Diagnostics) {
	if m.Hosts.IsNull() || m.Hosts.IsUnknown() {
		return nil, false, nil
	}
	var elems []types.String
	diags := m.Hosts.ElementsAs(ctx, &elems, false)
	names := make([]string, 0, len(elems))
	for _, e := range elems {
		if e.IsUnknown() {
			return nil, false, diags
		}
		names = append(names, e.ValueString())
	}
	return names, true, diags
}

// want is what every copy must be, as the model says.
func (m zfsKeyResourceModel) want() (zfskey.Want, diag.Diagnostics) {
	var diags diag.Diagnostics
	mode, err := zfskey.ParseMode(m.Mode.ValueString())
	if err != nil {
		diags.Append(providerBugDiag("key file mode %q after validation: %v", m.Mode.ValueString(), err))
	}
	return zfskey.Want{Fingerprint: m.Fingerprint.ValueString(), Mode: mode, Owner: m.Owner.ValueString(),
		Group: m.Group.ValueString()}, diags
}

func (m zfsKeyResourceModel) key(ctx context.Context) (zfskey.Key, diag.Diagnostics) {
	names, _, diags := m.hostNames(ctx)
	w, d := m.want()
	diags.Append(d...)
	return zfskey.Key{Path: m.Path.ValueString(), Hosts: names, Want: w}, diags
}

// allOK is the copies value of a key that is right on every host.
func allOK(names []string) types.Map {
	m := make(map[string]string, len(names))
	for _, h := range names {
		m[h] = zfskey.StatusOK
	}
	v, _ := types.MapValueFrom(context.Background(), types.StringType, m)
	return v
}

// keyMaterial reads and decodes the write-only key from the configuration;
// nil when none is given or it is not known yet.
func keyMaterial(ctx context.Context, config tfsdk.Config) ([]byte, bool, diag.Diagnostics) {
	var wo types.String
	diags := config.GetAttribute(ctx, path.Root("key_wo"), &wo)
	if diags.HasError() || wo.IsNull() {
		return nil, true, diags
	}
	if wo.IsUnknown() {
		return nil, false, diags
	}
	key, err := zfskey.ParseMaterial(wo.ValueString())
	if err != nil {
		diags.Append(invalidAttributeDiag(path.Root("key_wo"), "Invalid Key", err.Error()))
	}
	return key, true, diags
}

// ModifyPlan checks the hosts and plans what the apply makes true: every
// copy ok, the fingerprint kept unless the key is replaced. A copies value
// read as anything but ok is what makes drift show as an update.
func (r *zfsKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, config zfsKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	names, known, diags := plan.hostNames(ctx)
	resp.Diagnostics.Append(diags...)
	for i, h := range names {
		resp.Diagnostics.Append(r.data.checkHostName(types.StringValue(h), path.Root("hosts").AtListIndex(i))...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if known && !plan.Path.IsUnknown() {
		plan.ID = types.StringValue(zfsKeyID(names, plan.Path.ValueString()))
		plan.Copies = allOK(names)
	} else {
		plan.ID, plan.Copies = types.StringUnknown(), types.MapUnknown(types.StringType)
	}

	material, materialKnown, diags := keyMaterial(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	defer zfskey.Clear(material)
	var prior *zfsKeyResourceModel
	if !req.State.Raw.IsNull() {
		prior = &zfsKeyResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	rotate := prior == nil || (!config.KeyWO.IsNull() && !plan.KeyWOVersion.Equal(prior.KeyWOVersion))
	switch {
	case rotate && material != nil:
		plan.Fingerprint = types.StringValue(zfskey.Fingerprint(material))
	case rotate:
		plan.Fingerprint = types.StringUnknown()
	default:
		plan.Fingerprint = prior.Fingerprint
		if materialKnown && material != nil && zfskey.Fingerprint(material) != prior.Fingerprint.ValueString() {
			resp.Diagnostics.Append(zfsKeyMaterialIgnoredDiag())
		}
		lost, copies, diags := keyLost(ctx, *prior)
		resp.Diagnostics.Append(diags...)
		switch {
		case lost && plan.AllowRegenerate.ValueBool():
			// A new key is a new object: the plan says "replace".
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("copies"))
			plan.Fingerprint = types.StringUnknown()
			resp.Diagnostics.Append(zfsKeyRegenerateDiag(prior.Path.ValueString(), prior.Fingerprint.ValueString(), copies))
		case lost:
			resp.Diagnostics.Append(zfsKeyLostDiag(true, prior.Path.ValueString(), prior.Fingerprint.ValueString(), copies))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// keyLost tells from the state whether no copy holds the key any more,
// and describes the copies.
func keyLost(ctx context.Context, prior zfsKeyResourceModel) (bool, []string, diag.Diagnostics) {
	copies := map[string]string{}
	diags := prior.Copies.ElementsAs(ctx, &copies, false)
	if len(copies) == 0 {
		return false, nil, diags
	}
	for _, s := range copies {
		if zfskey.StatusHoldsKey(s) {
			return false, nil, diags
		}
	}
	return true, describeCopies(copies), diags
}

// hosts resolves host names to targets. Names in optional may be gone from
// the provider's configuration (a host removed with its copy): they are
// left out with a warning instead of failing.
func (r *zfsKeyResource) hosts(names, optional []string) (zfskey.Hosts, []string, diag.Diagnostics) {
	var diags diag.Diagnostics
	hs := zfskey.Hosts{}
	var unreachable []string
	for _, h := range append(slices.Clone(names), optional...) {
		if _, done := hs[h]; done {
			continue
		}
		t, d := r.data.target(h)
		if d.HasError() {
			if slices.Contains(names, h) {
				diags.Append(d...)
				continue
			}
			unreachable = append(unreachable, h)
			continue
		}
		hs[h] = t
	}
	return hs, unreachable, diags
}

func (r *zfsKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zfsKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	material, _, diags := keyMaterial(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	defer zfskey.Clear(material)
	k, diags := plan.key(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	hs, _, diags := r.hosts(k.Hosts, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	fp, adopted, err := hs.Create(ctx, k, material)
	if err != nil && fp == "" { // failed before any copy was written
		resp.Diagnostics.Append(zfsKeyErrorDiag("create ZFS key", err))
		return
	}
	if adopted != "" {
		resp.Diagnostics.Append(zfsKeyAdoptedDiag(adopted, k.Path))
	}
	plan.Fingerprint = types.StringValue(fp)
	hostNames := strings.Join(k.Hosts, ", ")
	if err == nil {
		d := r.readBack(ctx, hs, &plan)
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			saveApplied(ctx, &resp.State, &resp.Diagnostics, hostNames, &plan, r.readCopies(hs))
			return
		}
	}
	// Copies written to some hosts before another failed stay in state;
	// a write whose outcome is unknown is read back.
	var fail *createFailure
	if err != nil {
		fail = &createFailure{err: err, diag: zfsKeyErrorDiag("create ZFS key", err), stage: stageChange}
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, creation[zfsKeyResourceModel]{
		hostName: hostNames, what: "ZFS key", readBack: r.readCopies(hs),
	}, fail)
}

// readCopies reads the copies after a failed step: the key is in state
// when at least one host has it right.
func (r *zfsKeyResource) readCopies(hs zfskey.Hosts) readBackFunc[zfsKeyResourceModel] {
	return func(ctx context.Context, m *zfsKeyResourceModel) (bool, error) {
		k, diags := m.key(ctx)
		if diags.HasError() {
			return false, diagsError(diags)
		}
		copies, err := hs.Inspect(ctx, k.Hosts, k.Path)
		if err != nil {
			return false, err
		}
		st := zfskey.Statuses(k, copies)
		m.fromDomain(k, st)
		for _, h := range k.Hosts {
			if st[h] == zfskey.StatusOK {
				return true, nil
			}
		}
		return false, nil
	}
}

// readBack checks every copy after a write and puts the result in m.
func (r *zfsKeyResource) readBack(ctx context.Context, hs zfskey.Hosts, m *zfsKeyResourceModel) diag.Diagnostics {
	k, diags := m.key(ctx)
	if diags.HasError() {
		return diags
	}
	copies, err := hs.Inspect(ctx, k.Hosts, k.Path)
	if err != nil {
		diags.Append(zfsKeyErrorDiag("read ZFS key", err))
		return diags
	}
	st := zfskey.Statuses(k, copies)
	for _, h := range k.Hosts {
		if st[h] != zfskey.StatusOK {
			diags.Append(zfsKeyCopyWrongDiag(h, k.Path, st[h]))
		}
	}
	m.fromDomain(k, st)
	return diags
}

func (m *zfsKeyResourceModel) fromDomain(k zfskey.Key, statuses map[string]string) {
	m.ID = types.StringValue(zfsKeyID(k.Hosts, k.Path))
	m.Copies, _ = types.MapValueFrom(context.Background(), types.StringType, statuses)
	m.KeyWO = types.StringNull()
	if m.KeepOnDestroy.IsNull() || m.KeepOnDestroy.IsUnknown() {
		m.KeepOnDestroy = types.BoolValue(false)
	}
	if m.AllowRegenerate.IsNull() || m.AllowRegenerate.IsUnknown() {
		m.AllowRegenerate = types.BoolValue(false)
	}
}

func (r *zfsKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zfsKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	names, _, diags := state.hostNames(ctx)
	resp.Diagnostics.Append(diags...)
	// A host gone from the provider block (removed with its copy) must not
	// stop the refresh: its copy shows as not checked, and the plan drops it.
	hs, unreachable, diags := r.hosts(nil, names)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	reachable := slices.DeleteFunc(slices.Clone(names), func(h string) bool { return slices.Contains(unreachable, h) })
	p := state.Path.ValueString()
	copies, err := r.data.keyProbers(hs).Inspect(ctx, reachable, p)
	if err != nil {
		resp.Diagnostics.Append(zfsKeyErrorDiag("read ZFS key", err))
		return
	}
	if state.Fingerprint.IsNull() {
		// Just imported: identify the key the files hold.
		fp, src, err := zfskey.Identify(p, copies, reachable)
		if errors.Is(err, zfskey.ErrNotFound) {
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			resp.Diagnostics.Append(zfsKeyErrorDiag("import ZFS key", err))
			return
		}
		state.Fingerprint = types.StringValue(fp)
		if state.Mode.IsNull() {
			state.Mode = types.StringValue(file.FormatMode(copies[src].Mode))
		}
		if state.Owner.IsNull() {
			state.Owner = types.StringValue(copies[src].Owner)
		}
	}
	k, diags := state.key(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	statuses := zfskey.Statuses(k, copies)
	for _, h := range unreachable {
		statuses[h] = zfsKeyNotChecked
	}
	state.fromDomain(k, statuses)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// zfsKeyNotChecked is the status of a copy on a host that the provider
// block no longer configures.
const zfsKeyNotChecked = "not checked: host not configured"

func (r *zfsKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state zfsKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var material []byte
	if !plan.KeyWOVersion.Equal(state.KeyWOVersion) {
		var diags diag.Diagnostics
		material, _, diags = keyMaterial(ctx, req.Config)
		resp.Diagnostics.Append(diags...)
		defer zfskey.Clear(material)
	}
	prev, diags := state.key(ctx)
	resp.Diagnostics.Append(diags...)
	next, diags := plan.key(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	hs, unreachable, diags := r.hosts(next.Hosts, prev.Hosts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(unreachable) > 0 {
		resp.Diagnostics.Append(zfsKeyUnreachableDiag(unreachable, prev.Path))
		prev.Hosts = slices.DeleteFunc(prev.Hosts, func(h string) bool { return slices.Contains(unreachable, h) })
	}
	applied, err := hs.Update(ctx, prev, next, material, plan.KeepOnDestroy.ValueBool())
	if err != nil {
		resp.Diagnostics.Append(zfsKeyErrorDiag("update ZFS key", err))
		if applied.Fingerprint == "" { // failed before any copy was written
			return
		}
	}
	if len(applied.Left) > 0 {
		resp.Diagnostics.Append(zfsKeyLeftDiag(leftovers(applied.Left)))
	}
	plan.Fingerprint = types.StringValue(applied.Fingerprint)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.readBack(ctx, hs, &plan)...)
	}
	// A copy that failed part-way shows in copies, so the next plan repairs
	// it with the same key.
	saveApplied(ctx, &resp.State, &resp.Diagnostics, strings.Join(next.Hosts, ", "), &plan, appliedCopies(applied))
}

// appliedCopies puts what a failed update did into m: the fingerprint and
// each copy as the update left it. When no copy holds the key as wanted
// (a rotation that failed on its first write) the state is left as it was.
func appliedCopies(applied zfskey.Applied) readBackFunc[zfsKeyResourceModel] {
	return func(ctx context.Context, m *zfsKeyResourceModel) (bool, error) {
		if !applied.Holds() {
			return false, nil
		}
		k, diags := m.key(ctx)
		if diags.HasError() {
			return false, diagsError(diags)
		}
		m.fromDomain(k, applied.Copies)
		return true, nil
	}
}

func (r *zfsKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state zfsKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.KeepOnDestroy.ValueBool() {
		return
	}
	k, diags := state.key(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	hs, unreachable, diags := r.hosts(nil, k.Hosts)
	resp.Diagnostics.Append(diags...)
	if len(unreachable) > 0 {
		resp.Diagnostics.Append(zfsKeyUnreachableDiag(unreachable, k.Path))
		k.Hosts = slices.DeleteFunc(k.Hosts, func(h string) bool { return slices.Contains(unreachable, h) })
	}
	left, err := hs.Delete(ctx, k)
	if err != nil {
		resp.Diagnostics.Append(zfsKeyErrorDiag("delete ZFS key", err))
		return
	}
	if len(left) > 0 {
		resp.Diagnostics.Append(zfsKeyLeftDiag(leftovers(left)))
	}
}

func (r *zfsKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hosts, p, ok := parseZFSKeyID(req.ID)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOSTS:PATH (f0,f1,f2:/keys/f0.lan.buetow.org:zdata.key)"))
		return
	}
	list, diags := types.ListValueFrom(ctx, types.StringType, hosts)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), zfsKeyID(hosts, p))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("hosts"), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), p)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("keep_on_destroy"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("allow_regenerate"), false)...)
}

// describeCopies is "host: status" for each copy, by host name.
func describeCopies(copies map[string]string) []string {
	out := make([]string, 0, len(copies))
	for h, s := range copies {
		out = append(out, h+": "+s)
	}
	slices.Sort(out)
	return out
}

// zfsKeyErrorDiag classifies the domain's errors into diagnostics.
func zfsKeyErrorDiag(action string, err error) diag.Diagnostic {
	switch {
	case errors.Is(err, zfskey.ErrConflict):
		return zfsKeyConflictDiag(action, err)
	case errors.Is(err, zfskey.ErrLost):
		return zfsKeyLostErrorDiag(err)
	case errors.Is(err, zfskey.ErrInUse):
		return zfsKeyInUseDiag(err)
	case errors.Is(err, zfskey.ErrNoDirectory):
		return keyDirectoryMissingDiag(err)
	}
	return multiHostErrorDiag(action, errorHost(err), err)
}

// errorHost is the host a host-layer error names, "" when none does.
func errorHost(err error) string {
	var ce *host.CommandError
	var te *host.TransportError
	var hk *host.HostKeyError
	switch {
	case errors.As(err, &ce):
		return ce.Host
	case errors.As(err, &te):
		return te.Host
	case errors.As(err, &hk):
		return hk.Host
	}
	return ""
}

// leftovers describes the copies a removal left.
func leftovers(left []zfskey.Leftover) []string {
	out := make([]string, len(left))
	for i, l := range left {
		out[i] = l.String()
	}
	return out
}
