# HOST:JOB. An import signals nothing; the next change of triggers does.
terraform import f3s_zrepl_wakeup.nfsdata f0:f0_to_f1_nfsdata
