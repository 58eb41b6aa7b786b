# HOST:PATH.
terraform import 'f3s_carp_tool.carp["f0"]' f0:/usr/local/bin/carp
