# HOST:INTERFACE:VHID. The password cannot be read back into the
# configuration: give password_wo as before; the plan checks it against
# the key the kernel holds.
terraform import f3s_carp_address.f0 f0:re0:1
