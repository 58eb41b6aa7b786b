package lab

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// ManifestFile is the name of the file in a lab directory that tells
// clients where the hosts listen (the demo's provider configuration is
// generated from it).
const ManifestFile = "lab.json"

type manifest struct {
	Hosts map[string]manifestHost `json:"hosts"`
}

type manifestHost struct {
	OS             sim.OS `json:"os"`
	Address        string `json:"address"`
	Port           int    `json:"port"`
	User           string `json:"user"`
	PrivateKeyFile string `json:"private_key_file"`
	HostKey        string `json:"host_key"`
}

func (m manifestHost) endpoint(name string, client keyPair) Endpoint {
	return Endpoint{
		Name:           name,
		OS:             m.OS,
		Address:        m.Address,
		Port:           m.Port,
		User:           m.User,
		PrivateKeyFile: m.PrivateKeyFile,
		PrivateKeyPEM:  client.pem,
		HostKey:        m.HostKey,
	}
}

func writeManifest(dir string, eps []Endpoint) error {
	m := manifest{Hosts: map[string]manifestHost{}}
	for _, e := range eps {
		m.Hosts[e.Name] = manifestHost{
			OS:             e.OS,
			Address:        e.Address,
			Port:           e.Port,
			User:           e.User,
			PrivateKeyFile: e.PrivateKeyFile,
			HostKey:        e.HostKey,
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	file := filepath.Join(dir, ManifestFile)
	if err := os.WriteFile(file+".tmp", append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	return os.Rename(file+".tmp", file)
}

func readManifest(dir string) (manifest, error) {
	var m manifest
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}

// ReadEndpoints reads the endpoints a lab wrote to DIR/lab.json, sorted by
// name (PrivateKeyPEM is read from each PrivateKeyFile).
func ReadEndpoints(dir string) ([]Endpoint, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	var out []Endpoint
	for name, h := range m.Hosts {
		pemData, err := os.ReadFile(h.PrivateKeyFile)
		if err != nil {
			return nil, err
		}
		out = append(out, h.endpoint(name, keyPair{pem: pemData}))
	}
	slices.SortFunc(out, func(a, b Endpoint) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
