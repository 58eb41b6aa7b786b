package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// ZFSDatasetResourceType is the Terraform type name of the f3s_zfs_dataset resource.
const ZFSDatasetResourceType = TypeName + "_zfs_dataset"

var (
	_ resource.ResourceWithConfigure      = (*zfsDatasetResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*zfsDatasetResource)(nil)
	_ resource.ResourceWithImportState    = (*zfsDatasetResource)(nil)
	_ resource.ResourceWithValidateConfig = (*zfsDatasetResource)(nil)
)

type zfsDatasetResource struct {
	data *providerData
}

// NewZFSDatasetResource returns the f3s_zfs_dataset resource.
func NewZFSDatasetResource() resource.Resource {
	return &zfsDatasetResource{}
}

func (r *zfsDatasetResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ZFSDatasetResourceType
}

var encryptionValuesDoc = "`" + strings.Join(zfs.EncryptionValues, "`, `") + "`"

func (r *zfsDatasetResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A ZFS filesystem or volume on a FreeBSD host (`zfs create`), with its properties, mountpoint and " +
			"native encryption: the article's `zfs create -o encryption=on -o keyformat=raw -o " +
			"keylocation=file:///keys/f0.lan.buetow.org:zdata.key zdata/enc`.\n\n" +
			"Only the properties in `properties` are managed. Each is read with its source: a value that is no longer " +
			"set on the dataset itself (source `local`) shows as drift, and inherited or default values never do. " +
			"Removing a property from the map reverts it with `zfs inherit`. The state keeps what is managed and a few " +
			"computed attributes (`mountpoint`, `encryption_root`, `key_status`, `mounted`, `used`, `available`); every " +
			"property with its value and source is in the `f3s_zfs_dataset` data source. (The attribute `all_properties`, " +
			"every property's effective value, is gone: it made up most of a large state. A configuration that read " +
			"`f3s_zfs_dataset.x.all_properties[\"atime\"]` reads the data source instead: " +
			"`data.f3s_zfs_dataset.x.properties[\"atime\"].value`.)\n\n" +
			"A dataset can also start as a copy of a snapshot (`source_snapshot`): `zfs send SNAP | zfs recv NAME`, " +
			"raw (`zfs send -w`) with `source_raw = true`. That is the article's migration of `zroot/bhyve` into an " +
			"encrypted dataset (the example below). Its cleanup, the article's `zfs destroy -R zroot/bhyve_old`, " +
			"takes two applies, as a destroy acts on what the state says: first set `force_destroy = true` and " +
			"`deletion_protection = false` on the old tree and apply (nothing changes on the host), then remove its " +
			"block (and the snapshot's) and apply.\n\n" +
			"Changing `name` renames the dataset (`zfs rename`) in place; a new pool, `type`, `encryption` or " +
			"`keyformat` replaces it. On a Linux host the plan fails.\n\n" +
			"**Destroy** runs `zfs destroy` and loses the dataset's data. Two guards stand before it: " +
			"`deletion_protection` (default `true`) refuses any destroy or replacement of the dataset at plan time, " +
			"and a dataset with child datasets or snapshots that Terraform does not destroy first is not destroyed " +
			"unless `force_destroy = true` (then `zfs destroy -r`). To let Terraform forget a dataset and keep it on " +
			"the host, use a `removed` block with `lifecycle { destroy = false }`.\n\n" +
			"Import ID: `HOST:DATASET` (`f0:zdata/enc`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The import ID, `HOST:DATASET`; it follows a rename.",
				Computed:            true,
			},
			"host": resourceHostAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "The dataset's full name, for example `zdata/enc`: " + zfs.NameRules + ". The parent must " +
					"exist. Changing it renames the dataset with `zfs rename` (within its pool; moving it to another pool replaces it).",
				Required:   true,
				Validators: []validator.String{domainValidator("Invalid Dataset Name", "must be a ZFS dataset name", zfs.ValidateDatasetName)},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "`filesystem` (the default) or `volume` (a block device of `volsize` bytes under " +
					"`/dev/zvol/`). A copy of a snapshot takes the snapshot's type. Changing it replaces the dataset.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf(zfs.DatasetTypes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()},
			},
			"volsize": schema.StringAttribute{
				MarkdownDescription: "The size of a volume, with a suffix (`10G`); required for volumes, not allowed for " +
					"filesystems. Changed in place with `zfs set volsize`.",
				Optional:   true,
				Validators: []validator.String{domainValidator("Invalid Volume Size", "must be a size such as 10G", sizeCheck)},
			},
			"properties": schema.MapAttribute{
				MarkdownDescription: "ZFS properties set on this dataset, such as `compression = \"lz4\"`, `readonly = \"on\"`, " +
					"`recordsize = \"1M\"`, and user properties (`\"com.example:owner\" = \"paul\"`). Sizes may be written " +
					"with suffixes. Changed in place with `zfs set`; removing one reverts it with `zfs inherit`. " +
					"`mountpoint`, `encryption`, `keyformat`, `keylocation` and `volsize` have attributes of their own. " +
					"Properties ZFS fixes at creation (" + strings.Join(zfs.CreateOnlyProperties(), ", ") + ") fail the plan " +
					"when changed later.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{zfsPropertiesValidator{use: zfs.UseCreate, reserved: zfs.AttributeProperties}},
			},
			"mountpoint": schema.StringAttribute{
				MarkdownDescription: "Where the filesystem is mounted: an absolute path, `none` or `legacy`. When not set, " +
					"the inherited value is reported (`/data/enc` below a pool mounted at `/data`) and not managed. " +
					"Changed in place with `zfs set mountpoint`. Not for volumes.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{domainValidator("Invalid Mountpoint", "must be an absolute path, none or legacy", zfs.ValidateMountpoint)},
			},
			"encryption": schema.StringAttribute{
				MarkdownDescription: "Native encryption: " + encryptionValuesDoc + ". `on` is `aes-256-gcm`. Fixed at creation: " +
					"changing it replaces the dataset. When not set, a child of an encrypted dataset is encrypted with " +
					"its parent's key, and the cipher in use is reported.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(zfs.EncryptionValues...)},
			},
			"keyformat": schema.StringAttribute{
				MarkdownDescription: "The key's format for a new encryption root: `raw` (32 bytes, as the article's keys), " +
					"`hex` or `passphrase`. Needs `keylocation`. Fixed at creation: changing it replaces the dataset. " +
					"Reported as `none` for unencrypted datasets.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(zfs.KeyFormatValues...)},
			},
			"keylocation": schema.StringAttribute{
				MarkdownDescription: "Where the key of an encryption root is read from: `file:///ABSOLUTE/PATH` " +
					"(`file:///keys/f0.lan.buetow.org:zdata.key`). The file must exist on the host when the dataset is " +
					"created. `prompt` is accepted only for raw copies (`source_raw`), as nothing can type a key over the " +
					"provider's connection. Changed in place with `zfs set keylocation` (encryption roots only). Reported " +
					"as `none` for encrypted children and unencrypted datasets.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{domainValidator("Invalid Key Location", "must be prompt or file:///absolute/path", zfs.ValidateKeyLocation)},
			},
			"source_snapshot": schema.StringAttribute{
				MarkdownDescription: "Create the dataset as a copy of this snapshot (`zfs send SNAPSHOT | zfs recv NAME`), " +
					"for example `zroot/bhyve_old/rocky@hamburger`. The snapshot comes along as `NAME@SNAPSHOT` and does " +
					"not count against destroy. Received into an encrypted parent, the copy is encrypted with the parent's " +
					"key; with `encryption`, `keyformat` and `keylocation` it becomes an encryption root of its own. Only " +
					"used at creation: changing it later has no effect.",
				Optional:   true,
				Validators: []validator.String{domainValidator("Invalid Snapshot Name", "must be DATASET@SNAPSHOT", zfs.ValidateSnapshotName)},
			},
			"source_raw": schema.BoolAttribute{
				MarkdownDescription: "Send `source_snapshot` raw (`zfs send -w`): an encrypted source stays encrypted with its " +
					"own key and the copy needs no key to be received; `keylocation` (which a raw copy has as `prompt`) can " +
					"then be set, and `encryption` and `keyformat` must be left out. Defaults to `false`. Only used at creation.",
				Optional: true,
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Destroy the dataset together with child datasets and snapshots that no resource " +
					"manages (`zfs destroy -r`), after releasing every user hold on their snapshots (zrepl holds what it " +
					"sends and receives, and ZFS refuses to destroy a held snapshot). Defaults to `false`: destroying a " +
					"dataset that has any fails, naming them.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Refuse to destroy the dataset, and the data in it. Defaults to `true`: a destroy " +
					"(`terraform destroy`, the resource removed from the configuration) and a replacement (a new pool, " +
					"`type`, `encryption` or `keyformat`) fail at plan time, naming the dataset. To destroy it, set " +
					"`deletion_protection = false`, apply, then destroy or remove it. Import sets it to `true`; a " +
					"dataset whose creation failed half-way (saved as tainted, replaced by the next apply) is saved " +
					"unprotected, as that apply made it.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"encryption_root": schema.StringAttribute{
				MarkdownDescription: "The dataset whose key encrypts this one (itself for an encryption root); null when unencrypted.",
				Computed:            true,
			},
			"key_status": schema.StringAttribute{
				MarkdownDescription: "`available` when the key is loaded, `unavailable` when not, `none` when unencrypted.",
				Computed:            true,
			},
			"mounted": schema.BoolAttribute{
				MarkdownDescription: "Whether the filesystem is mounted.",
				Computed:            true,
			},
			"used": schema.Int64Attribute{
				MarkdownDescription: "Bytes used by the dataset and everything below it.",
				Computed:            true,
			},
			"available": schema.Int64Attribute{
				MarkdownDescription: "Bytes available to the dataset.",
				Computed:            true,
			},
		},
	}
}

func sizeCheck(s string) error {
	_, err := zfs.ParseSize(s)
	return err
}

func (r *zfsDatasetResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := configureProviderData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ValidateConfig checks the attributes that only make sense together.
func (r *zfsDatasetResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m zfsDatasetResourceModel
	resp.Diagnostics.Append(zfsDatasetCodec.get(req.Config.Raw, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	set := func(v interface{ IsNull() bool }) bool { return !v.IsNull() }
	known := func(v interface{ IsUnknown() bool }) bool { return !v.IsUnknown() }
	raw := m.SourceRaw.ValueBool()
	fromSnapshot := set(m.SourceSnapshot) || m.SourceSnapshot.IsUnknown()

	switch {
	case m.Type.ValueString() == zfs.TypeVolume:
		if !set(m.Volsize) && !fromSnapshot {
			resp.Diagnostics.Append(zfsConfigDiag(path.Root("volsize"), "a volume needs volsize"))
		}
		if set(m.Mountpoint) {
			resp.Diagnostics.Append(zfsConfigDiag(path.Root("mountpoint"), "a volume has no mountpoint"))
		}
	case set(m.Volsize) && known(m.Type):
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("volsize"), `volsize is for volumes: set type = "volume"`))
	}
	if set(m.Volsize) && fromSnapshot {
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("volsize"), "a copy of a snapshot takes its size from the snapshot: remove volsize"))
	}
	if m.Encryption.ValueString() == "off" && (set(m.KeyFormat) || set(m.KeyLocation)) {
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("encryption"), `encryption = "off" takes no keyformat or keylocation`))
	}
	if set(m.SourceRaw) && !fromSnapshot {
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("source_raw"), "source_raw needs source_snapshot"))
	}
	if raw {
		for _, a := range []struct {
			name string
			v    types.String
		}{{"encryption", m.Encryption}, {"keyformat", m.KeyFormat}} {
			if set(a.v) {
				resp.Diagnostics.Append(zfsConfigDiag(path.Root(a.name),
					"a raw copy (source_raw = true) keeps the source's encryption: remove "+a.name))
			}
		}
		return
	}
	switch {
	case set(m.KeyFormat) && !set(m.KeyLocation):
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("keylocation"),
			"keyformat needs keylocation: without it zfs asks for the key on a terminal, which the provider does not have"))
	case set(m.KeyLocation) && !set(m.KeyFormat):
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("keyformat"),
			"keylocation needs keyformat: a new encryption root needs both (zfs: Keyformat required for new encryption root)"))
	case m.KeyLocation.ValueString() == "prompt":
		resp.Diagnostics.Append(zfsConfigDiag(path.Root("keylocation"),
			"keylocation = \"prompt\" makes zfs read the key from a terminal, which the provider does not have: keep the key in a file (file:///...)"))
	}
}

func (r *zfsDatasetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.data.checkHostInConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(protectedDestroyPlanned(req.State.Raw)...)
		return
	}
	// Nothing configured differs from the state: the plan is the state
	// (with no change, the framework leaves computed values as they are),
	// and there is nothing to decode. Most datasets of a large plan.
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		return
	}
	var plan, config zfsDatasetResourceModel
	resp.Diagnostics.Append(zfsDatasetCodec.get(req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(zfsDatasetCodec.get(req.Config.Raw, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		resp.Diagnostics.Append(r.data.checkHostOS(ctx, req.Plan, ZFSDatasetResourceType, zfsOSCheck)...)
		// A copy takes its type from the snapshot; otherwise a filesystem.
		if config.Type.IsNull() && config.SourceSnapshot.IsNull() {
			plan.Type = types.StringValue(zfs.TypeFilesystem)
		}
		resp.Diagnostics.Append(zfsDatasetCodec.set(&plan, &resp.Plan.Raw)...)
		return
	}
	var state zfsDatasetResourceModel
	resp.Diagnostics.Append(zfsDatasetCodec.get(req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	renamed := !plan.Name.Equal(state.Name)
	if renamed && !plan.Name.IsUnknown() && zfs.PoolOf(plan.Name.ValueString()) != zfs.PoolOf(state.Name.ValueString()) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("name"))
	}
	if config.Type.IsNull() {
		plan.Type = state.Type
	}
	if renamed {
		plan.ID = types.StringUnknown()
	} else {
		plan.ID = state.ID
	}
	// An unmanaged mountpoint is inherited and follows a rename.
	switch {
	case !config.Mountpoint.IsNull():
	case renamed:
		plan.Mountpoint = types.StringUnknown()
	default:
		plan.Mountpoint = state.Mountpoint
	}
	if !config.Mountpoint.IsNull() && !config.Mountpoint.IsUnknown() && zfs.Equivalent("mountpoint", config.Mountpoint.ValueString(), state.Mountpoint.ValueString()) {
		plan.Mountpoint = state.Mountpoint
	}

	// Encryption is fixed at creation: the same cipher in another
	// spelling keeps the state, a different one replaces the dataset.
	for _, a := range []struct {
		name    string
		cfg, st types.String
		planned *types.String
	}{
		{"encryption", config.Encryption, state.Encryption, &plan.Encryption},
		{"keyformat", config.KeyFormat, state.KeyFormat, &plan.KeyFormat},
	} {
		switch {
		case a.cfg.IsNull():
			*a.planned = a.st
		case a.cfg.IsUnknown():
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root(a.name))
		case zfs.Equivalent(a.name, a.cfg.ValueString(), a.st.ValueString()):
			*a.planned = a.st
		default:
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root(a.name))
		}
	}
	if config.KeyLocation.IsNull() {
		plan.KeyLocation = state.KeyLocation
	}
	if !config.Volsize.IsNull() && !config.Volsize.IsUnknown() && !state.Volsize.IsNull() &&
		zfs.Equivalent("volsize", config.Volsize.ValueString(), state.Volsize.ValueString()) {
		plan.Volsize = state.Volsize
	}

	cfgProps, d := stringMap(ctx, config.Properties)
	resp.Diagnostics.Append(d...)
	stProps, d := stringMap(ctx, state.Properties)
	resp.Diagnostics.Append(d...)
	if !config.Properties.IsUnknown() {
		if !config.Properties.IsNull() && !state.Properties.IsNull() && sameProperties(cfgProps, stProps, zfs.Equivalent) {
			plan.Properties = state.Properties
		}
		effective, d := createOnlyValues(ctx, req.Private)
		resp.Diagnostics.Append(d...)
		for k, v := range stProps {
			effective[k] = v
		}
		if names := createOnlyChanges(effective, cfgProps, zfs.IsCreateOnly, zfs.Equivalent); len(names) > 0 {
			resp.Diagnostics.Append(createOnlyPropertyDiag(path.Root("properties"), names))
		}
	}
	resp.Diagnostics.Append(protectedReplacePlanned(config, state, resp.RequiresReplace)...)
	if len(resp.RequiresReplace) == 0 && plan.sameSettings(state) {
		// Only spelling differed: nothing to do, and nothing unknown.
		plan = state
	}
	resp.Diagnostics.Append(zfsDatasetCodec.set(&plan, &resp.Plan.Raw)...)
}

// sameSettings reports whether everything the user sets is as in o.
func (m zfsDatasetResourceModel) sameSettings(o zfsDatasetResourceModel) bool {
	return m.Host.Equal(o.Host) && m.Name.Equal(o.Name) && m.Type.Equal(o.Type) && m.Volsize.Equal(o.Volsize) &&
		m.Properties.Equal(o.Properties) && m.Mountpoint.Equal(o.Mountpoint) && m.Encryption.Equal(o.Encryption) &&
		m.KeyFormat.Equal(o.KeyFormat) && m.KeyLocation.Equal(o.KeyLocation) && m.SourceSnapshot.Equal(o.SourceSnapshot) &&
		m.SourceRaw.Equal(o.SourceRaw) && m.ForceDestroy.Equal(o.ForceDestroy) && m.Protection.Equal(o.Protection)
}

// createProperties are the properties given at creation: the map, the
// mountpoint and the encryption attributes.
func (m zfsDatasetResourceModel) createProperties(ctx context.Context) (props, crypto map[string]string, diags diag.Diagnostics) {
	props, diags = stringMap(ctx, m.Properties)
	if props == nil {
		props = map[string]string{}
	}
	crypto = map[string]string{}
	if v := m.Mountpoint; !v.IsNull() && !v.IsUnknown() {
		props["mountpoint"] = v.ValueString()
	}
	for name, v := range map[string]types.String{"encryption": m.Encryption, "keyformat": m.KeyFormat, "keylocation": m.KeyLocation} {
		if !v.IsNull() && !v.IsUnknown() {
			crypto[name] = v.ValueString()
		}
	}
	return props, crypto, diags
}

func (r *zfsDatasetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan zfsDatasetResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, name := plan.Host.ValueString(), plan.Name.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	props, crypto, d := plan.createProperties(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	c := creation[zfsDatasetResourceModel]{
		hostName: hostName, what: "ZFS dataset", oneCommand: plan.SourceSnapshot.IsNull(),
		resourceType: ZFSDatasetResourceType, importID: hostScopedID(hostName, name),
		readBack: func(ctx context.Context, m *zfsDatasetResourceModel) (bool, error) {
			ds, err := zfs.ReadDataset(ctx, target, name)
			if errors.Is(err, zfs.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			return true, diagsError(m.fromDomain(ctx, hostName, ds, false))
		},
	}
	fail := r.create(ctx, target, &plan, props, crypto)
	if fail == nil {
		ds, err := zfs.ReadDataset(ctx, target, name)
		if err != nil {
			fail = &createFailure{err: err, diag: hostErrorDiag("read ZFS dataset", hostName, err), stage: stageRead}
		} else {
			resp.Diagnostics.Append(plan.fromDomain(ctx, hostName, ds, false)...)
		}
	}
	finishCreate(ctx, &resp.State, &resp.Diagnostics, &plan, c, fail)
	if resp.Diagnostics.HasError() && !resp.State.Raw.IsNull() {
		// Saved with an error, thus tainted: the next apply replaces what
		// this one made half-way, and deletion_protection must not block it.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), false)...)
	}
}

// create makes the dataset: zfs create, or a receive of source_snapshot
// and then its properties.
func (r *zfsDatasetResource) create(ctx context.Context, target host.Target, plan *zfsDatasetResourceModel, props, crypto map[string]string) *createFailure {
	hostName, name := plan.Host.ValueString(), plan.Name.ValueString()
	if plan.SourceSnapshot.IsNull() {
		for k, v := range crypto {
			props[k] = v
		}
		spec := zfs.DatasetSpec{Name: name, Properties: props}
		if !plan.Volsize.IsNull() {
			spec.Volsize = plan.Volsize.ValueString()
		}
		if err := zfs.CreateDataset(ctx, target, spec); err != nil {
			return &createFailure{err: err, diag: hostErrorDiag("create ZFS dataset", hostName, err), stage: stageMake}
		}
		return nil
	}
	rs := zfs.ReceiveSpec{Snapshot: plan.SourceSnapshot.ValueString(), Name: name, Raw: plan.SourceRaw.ValueBool()}
	if rs.Raw {
		// A raw stream brings its own encryption; only where its key
		// is found can change, after the receive.
		if kl, ok := crypto["keylocation"]; ok {
			props["keylocation"] = kl
		}
	} else {
		rs.Options = crypto
	}
	if err := zfs.ReceiveDataset(ctx, target, rs); err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("create ZFS dataset from snapshot", hostName, err), stage: stageMake}
	}
	// The copy exists from here on: a failure leaves it in state,
	// tainted, rather than unknown to Terraform.
	if err := zfs.SetProperties(ctx, target, name, props); err != nil {
		return &createFailure{err: err, diag: hostErrorDiag("set ZFS dataset properties", hostName, err), stage: stageChange}
	}
	return nil
}

// readBack reads the dataset after a change and stores it, even after a
// failed step, so that state follows what the host has.
func (r *zfsDatasetResource) readBack(ctx context.Context, _ host.Target, m *zfsDatasetResourceModel, state stateSetter, diags *diag.Diagnostics) {
	hostName := m.Host.ValueString()
	// Through the host's batch: fresh, as the read is asked after the change.
	reader, d := r.data.zfsReader(hostName)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	ds, err := reader.Dataset(ctx, m.Name.ValueString())
	if err != nil {
		diags.Append(hostErrorDiag("read ZFS dataset", hostName, err))
		return
	}
	diags.Append(m.fromDomain(ctx, hostName, ds, false)...)
	diags.Append(state.Set(ctx, m)...)
}

func (r *zfsDatasetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state zfsDatasetResourceModel
	resp.Diagnostics.Append(zfsDatasetCodec.get(req.State.Raw, &state)...)
	imported, d := takeImported(ctx, req.Private, resp.Private)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName := state.Host.ValueString()
	reader, diags := r.data.zfsReader(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ds, err := reader.Dataset(ctx, state.Name.ValueString())
	if readFailed(ctx, resp, err, zfs.ErrNotFound, "read ZFS dataset", hostName) {
		return
	}
	resp.Diagnostics.Append(state.fromDomain(ctx, hostName, ds, imported)...)
	resp.Diagnostics.Append(setCreateOnlyValues(ctx, resp.Private, ds)...)
	resp.Diagnostics.Append(zfsDatasetCodec.set(&state, &resp.State.Raw)...)
}

func (r *zfsDatasetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state zfsDatasetResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, name := plan.Host.ValueString(), plan.Name.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Rename first, so that the properties go to the dataset's new name;
	// from here on the state must carry that name, whatever fails next.
	if old := state.Name.ValueString(); old != name {
		if err := zfs.RenameDataset(ctx, target, old, name); err != nil {
			resp.Diagnostics.Append(hostErrorDiag("rename ZFS dataset", hostName, err))
			return
		}
	}
	planProps, d := stringMap(ctx, plan.Properties)
	resp.Diagnostics.Append(d...)
	stateProps, d := stringMap(ctx, state.Properties)
	resp.Diagnostics.Append(d...)
	set, inherit := propertyChanges(stateProps, planProps, zfs.Equivalent)
	set, inherit = withoutCreateOnly(set, inherit, zfs.IsCreateOnly)
	for _, a := range []struct {
		prop        string
		plan, state types.String
	}{{"mountpoint", plan.Mountpoint, state.Mountpoint}, {"keylocation", plan.KeyLocation, state.KeyLocation}, {"volsize", plan.Volsize, state.Volsize}} {
		if !a.plan.IsNull() && !a.plan.IsUnknown() && !zfs.Equivalent(a.prop, a.plan.ValueString(), a.state.ValueString()) {
			set[a.prop] = a.plan.ValueString()
		}
	}
	if !resp.Diagnostics.HasError() {
		if err := zfs.SetProperties(ctx, target, name, set); err != nil {
			resp.Diagnostics.Append(hostErrorDiag("set ZFS dataset properties", hostName, err))
		} else if err := zfs.InheritProperties(ctx, target, name, inherit); err != nil {
			resp.Diagnostics.Append(hostErrorDiag("revert ZFS dataset properties", hostName, err))
		}
	}
	r.readBack(ctx, target, &plan, &resp.State, &resp.Diagnostics)
}

func (r *zfsDatasetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state zfsDatasetResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostName, name := state.Host.ValueString(), state.Name.ValueString()
	target, diags := r.data.target(hostName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The plan refused this already; a state that never went through a
	// plan of this version (or a forced apply) meets the same refusal.
	if state.Protection.IsNull() || state.Protection.ValueBool() {
		resp.Diagnostics.Append(protectedDatasetDiag(hostName, name, "destroy"))
		return
	}
	recursive := state.ForceDestroy.ValueBool()
	if !recursive {
		below, err := zfs.Descendants(ctx, target, name)
		if errors.Is(err, zfs.ErrNotFound) {
			return
		}
		if err != nil {
			resp.Diagnostics.Append(hostErrorDiag("list what lies below the ZFS dataset", hostName, err))
			return
		}
		var foreign []string
		for _, b := range below {
			if b != ownSnapshot(name, state.SourceSnapshot) {
				foreign = append(foreign, b)
			}
		}
		if len(foreign) > 0 {
			resp.Diagnostics.Append(datasetDestroyRefusedDiag(hostName, name, foreign))
			return
		}
		recursive = len(below) > 0
	}
	// zrepl holds the snapshots it sends and receives, and may take a new
	// one between the release and the destroy: with force_destroy, release
	// and destroy again, a few times.
	attempts := 1
	if state.ForceDestroy.ValueBool() {
		attempts = 3
	}
	for i := 1; ; i++ {
		if state.ForceDestroy.ValueBool() {
			released, err := zfs.ReleaseHolds(ctx, target, name)
			if errors.Is(err, zfs.ErrNotFound) {
				return
			}
			if err != nil {
				resp.Diagnostics.Append(hostErrorDiag("release the holds on the snapshots of the ZFS dataset", hostName, err))
				return
			}
			for _, h := range released {
				tflog.Info(ctx, "released a snapshot hold before destroying", map[string]any{"snapshot": h.Snapshot, "tag": h.Tag})
			}
		}
		err := zfs.DestroyDataset(ctx, target, name, recursive)
		if err == nil || errors.Is(err, zfs.ErrNotFound) {
			return
		}
		if i >= attempts {
			resp.Diagnostics.Append(hostErrorDiag("destroy ZFS dataset", hostName, err))
			return
		}
	}
}

// ownSnapshot is the snapshot a copy brought along from source_snapshot:
// it belongs to the dataset, not to someone else.
func ownSnapshot(name string, source types.String) string {
	if source.IsNull() || source.IsUnknown() {
		return ""
	}
	_, snap, ok := zfs.SplitSnapshot(source.ValueString())
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s@%s", name, snap)
}

func (r *zfsDatasetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	hostName, name, ok := parseZFSImportID(req.ID, zfs.ValidateDatasetName)
	if !ok {
		resp.Diagnostics.Append(invalidImportIDDiag(req.ID, "HOST:DATASET (f0:zdata/enc)"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(hostAttributeName), hostName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), true)...)
	resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
}
