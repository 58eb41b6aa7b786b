# HOST:KEY_PATH:CERT_PATH. The key is read into memory once, to check that it
# belongs to the certificate; it never enters the state.
terraform import f3s_pki_ca.nfs f0:/usr/local/etc/stunnel/ca/ca-key.pem:/usr/local/etc/stunnel/ca/ca-cert.pem
