# On MASTER start the NFS services and stunnel (once the replicated dataset
# is mounted); on BACKUP stop them. Referencing the address's vhid orders
# the hook after the address, and its destroy before.
resource "f3s_carp_hook" "f0" {
  host              = "f0"
  interface         = "re0"
  vhid              = f3s_carp_address.f0.vhid
  services          = ["rpcbind", "mountd", "nfsd", "nfsuserd", "stunnel"]
  required_datasets = ["zdata/enc/nfsdata"]
}

# The standby serves its read-only replicated copy.
resource "f3s_carp_hook" "f1" {
  host              = "f1"
  interface         = "re0"
  vhid              = f3s_carp_address.f1.vhid
  services          = ["rpcbind", "mountd", "nfsd", "nfsuserd", "stunnel"]
  required_datasets = ["zdata/sink/f0/zdata/enc/nfsdata"]
}
