# A pool: HOST:POOL.
terraform import f3s_zpool.zdata f0:zdata
