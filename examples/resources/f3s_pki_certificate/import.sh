# HOSTS:CERT_PATH:KEY_PATH[:CA_CERT_PATH]: the hosts comma-separated. The
# import checks that every host's key file is the same key and belongs to
# the certificate; ca_host and ca_cert_pem come from the configuration.
terraform import f3s_pki_certificate.server f0,f1:/usr/local/etc/stunnel/server-cert.pem:/usr/local/etc/stunnel/server-key.pem:/usr/local/etc/stunnel/ca-cert.pem
