# HOST for the default path (/usr/local/etc/zrepl/zrepl.yml), or HOST:PATH.
# The whole file is parsed into global and job blocks.
terraform import f3s_zrepl_config.f0 f0
terraform import f3s_zrepl_config.f1 f1:/usr/local/etc/zrepl/zrepl.yml
