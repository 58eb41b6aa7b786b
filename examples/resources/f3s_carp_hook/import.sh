# HOST:RULE_FILE: the rule names the control script, whose settings give
# the services and datasets.
terraform import f3s_carp_hook.f0 f0:/usr/local/etc/devd/carp.conf
