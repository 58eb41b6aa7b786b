package labtest

import (
	"net"
	"strconv"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestStart(t *testing.T) {
	for _, specs := range [][]string{{"f0:freebsd", "r0:rocky"}, nil} {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			l := Start(t, specs...)
			for _, ep := range l.Endpoints() {
				signer, err := ssh.ParsePrivateKey(ep.PrivateKeyPEM)
				if err != nil {
					t.Fatal(err)
				}
				hostKey, _, _, _, err := ssh.ParseAuthorizedKey([]byte(ep.HostKey))
				if err != nil {
					t.Fatal(err)
				}
				c, err := ssh.Dial("tcp", net.JoinHostPort(ep.Address, strconv.Itoa(ep.Port)), &ssh.ClientConfig{
					User:            ep.User,
					Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
					HostKeyCallback: ssh.FixedHostKey(hostKey),
				})
				if err != nil {
					t.Fatal(err)
				}
				s, err := c.NewSession()
				if err != nil {
					t.Fatal(err)
				}
				out, err := s.Output("echo " + ep.Name)
				if err != nil || string(out) != ep.Name+"\n" {
					t.Errorf("%s: %q %v", ep.Name, out, err)
				}
				c.Close()
			}
			if want := max(len(specs), 1); len(l.Endpoints()) != want {
				t.Errorf("%d endpoints, want %d", len(l.Endpoints()), want)
			}
		})
	}
}
