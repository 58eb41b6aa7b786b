# HOST:CONFIG_PATH. The file is read as one service; a hand-written file (the
# article's) shows as an update of content on the next plan.
terraform import f3s_stunnel_service.server f0:/usr/local/etc/stunnel/stunnel.conf
